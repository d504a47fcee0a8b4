using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// A Compose service's user, read_only, cap_add and cap_drop as our spec.securityContext, whose own checks (the
/// capability lists, uid ranges) then apply. A user name cannot be looked up before the image runs: numbers only.
/// </summary>
internal static class ComposeSecurity
{
    public static readonly string[] Keys = ["user", "read_only", "cap_add", "cap_drop"];

    public static YamlNode? Translate(Dictionary<string, (YamlNode Key, YamlNode Value)> f, YamlNode service, string path, Translator t)
    {
        if (!Keys.Any(f.ContainsKey)) return null;
        var context = t.Map(service);
        if (f.GetValueOrDefault("user").Value is { } user) User(user, FieldPath.Field(path, "user"), context, t);
        if (f.GetValueOrDefault("read_only").Value is { } readOnly) context.With("readOnlyRootFilesystem", readOnly);
        var add = f.GetValueOrDefault("cap_add").Value;
        var drop = f.GetValueOrDefault("cap_drop").Value;
        if (add is not null || drop is not null)
            context.With("capabilities", t.Map(add ?? drop!).With("add", add).With("drop", drop));
        return context;
    }

    private static void User(YamlNode node, string path, YamlMappingNode context, Translator t)
    {
        if (t.Reader.Text(node, path) is not { } text) return;
        var parts = text.Split(':');
        if (parts.Length > 2 || parts.Any(p => !long.TryParse(p, out _)))
        {
            t.Unsupported(node, path, $"{YamlScalars.Quote(text)}: only a numeric uid or uid:gid, like \"1000\" or \"1000:1000\" (a name is looked up in the image, which the manifest cannot see)");
            return;
        }
        context.With("runAsUser", t.Number(long.Parse(parts[0]), node));
        if (parts.Length == 2) context.With("runAsGroup", t.Number(long.Parse(parts[1]), node));
    }
}
