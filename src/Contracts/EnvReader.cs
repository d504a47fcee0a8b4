using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Reads spec.env in either form: a map (<c>GREETING: hello</c>) or Kubernetes' list of <c>{name, value}</c>,
/// so that env blocks copied from Kubernetes manifests work unchanged.
/// </summary>
internal static class EnvReader
{
    private static readonly string[] ItemFields = ["name", "value"];

    public static Dictionary<string, string> Read(YamlNode node, string path, ManifestReader r) => node switch
    {
        YamlMappingNode map when r.AtMost(map, path, map.Children.Count, ManifestLimits.MaxEnv, "variables") =>
            r.TextMap(map, path, TextRule.EnvName, TextRule.EnvValue),
        YamlSequenceNode list when r.AtMost(list, path, list.Children.Count, ManifestLimits.MaxEnv, "variables") =>
            ReadList(list, path, r),
        YamlMappingNode or YamlSequenceNode => new(),
        _ => Wrong(node, path, r),
    };

    private static Dictionary<string, string> ReadList(YamlSequenceNode list, string path, ManifestReader r)
    {
        var env = new Dictionary<string, string>();
        var firstPath = new Dictionary<string, string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (r.Fields(list.Children[i], itemPath, ItemFields) is not { } f) continue;
            var value = f["value"] is { } v ? r.Text(v, f.PathOf("value"), TextRule.EnvValue) : "";
            if (r.RequiredText(f, "name", TextRule.EnvName) is not { } name) continue;
            if (firstPath.TryGetValue(name, out var first))
                r.Error(f["name"]!, f.PathOf("name"), $"{YamlScalars.Quote(name)} is already set by {first}");
            else if (value is not null)
            {
                env[name] = value;
                firstPath[name] = itemPath;
            }
        }
        return env;
    }

    private static Dictionary<string, string> Wrong(YamlNode node, string path, ManifestReader r)
    {
        r.Error(node, path, $"must be a mapping of NAME: value, or a list of {{name, value}}, got {YamlScalars.Describe(node)}");
        return new();
    }
}
