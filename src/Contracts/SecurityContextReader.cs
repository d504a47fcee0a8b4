using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Reads spec.securityContext; privileged mode is refused with the reason, capabilities are checked against lists.</summary>
internal static class SecurityContextReader
{
    /// <summary>The highest uid or gid Linux has (2^31 - 1 is what user namespaces and Docker accept).</summary>
    public const long MaxId = int.MaxValue;

    private static readonly string[] Fields = ["runAsUser", "runAsGroup", "runAsNonRoot", "readOnlyRootFilesystem", "allowPrivilegeEscalation", "capabilities"];
    private static readonly string[] CapabilityFields = ["add", "drop"];

    private static readonly Dictionary<string, string> Refused = new()
    {
        ["privileged"] = "privileged containers are refused: they can take over the node; add the capabilities the process needs instead (capabilities.add)",
    };

    public static SecurityContext? Read(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, Fields, Refused) is not { } f) return null;
        var user = f["runAsUser"] is { } u ? r.WholeNumber(u, f.PathOf("runAsUser"), 0, MaxId) : null;
        var group = f["runAsGroup"] is { } g ? r.WholeNumber(g, f.PathOf("runAsGroup"), 0, MaxId) : null;
        var nonRoot = f["runAsNonRoot"] is { } n ? r.Bool(n, f.PathOf("runAsNonRoot")) : null;
        if (group is not null && f["runAsUser"] is null)
            r.Error(f["runAsGroup"]!, f.PathOf("runAsGroup"), "needs runAsUser as well (the engine sets both as uid:gid)");
        if (nonRoot == true && user == 0)
            r.Error(f["runAsUser"]!, f.PathOf("runAsUser"), "is 0 (root) while runAsNonRoot is true; give a non-zero uid");
        return new SecurityContext
        {
            RunAsUser = user,
            RunAsGroup = group,
            RunAsNonRoot = nonRoot,
            ReadOnlyRootFilesystem = f["readOnlyRootFilesystem"] is { } ro ? r.Bool(ro, f.PathOf("readOnlyRootFilesystem")) : null,
            AllowPrivilegeEscalation = f["allowPrivilegeEscalation"] is { } pe ? r.Bool(pe, f.PathOf("allowPrivilegeEscalation")) : null,
            Capabilities = f["capabilities"] is { } c ? ReadCapabilities(c, f.PathOf("capabilities"), r) : null,
        };
    }

    private static Capabilities? ReadCapabilities(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, CapabilityFields) is not { } f) return null;
        return new Capabilities
        {
            Add = f["add"] is { } add ? Names(add, f.PathOf("add"), Capabilities.Addable, "may be added", r) : new(),
            Drop = f["drop"] is { } drop ? Names(drop, f.PathOf("drop"), Capabilities.Droppable, "are known", r) : new(),
        };
    }

    private static List<string> Names(YamlNode node, string path, string[] allowed, string verb, ManifestReader r)
    {
        var names = new List<string>();
        if (r.List(node, path, "capability names, like [NET_BIND_SERVICE]") is not { } list
            || !r.AtMost(list, path, list.Children.Count, Capabilities.Droppable.Length, "capabilities")) return names;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (r.Text(list.Children[i], itemPath) is not { } text) continue;
            // Kubernetes writes them without the prefix; Docker accepts both.
            var name = text.StartsWith("CAP_", StringComparison.Ordinal) ? text[4..] : text;
            if (!allowed.Contains(name))
                r.Error(list.Children[i], itemPath, $"{YamlScalars.Quote(text)} is not a capability that {verb}; allowed: " +
                    $"{string.Join(", ", allowed)}{DidYouMean.Hint(name, allowed)}");
            else if (names.Contains(name))
                r.Error(list.Children[i], itemPath, $"{YamlScalars.Quote(text)} is listed twice");
            else
                names.Add(name);
        }
        return names;
    }
}
