using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Reads metadata: the object's name and namespace (its identity), labels, and the bookkeeping numbers that
/// a manifest written by <see cref="ManifestYaml"/> carries back.</summary>
internal static class ObjectMetaReader
{
    private static readonly string[] Fields = ["name", "namespace", "labels", "generation", "resourceVersion"];

    /// <summary>The metadata and the node of its name, or null when name or namespace is unusable.</summary>
    public static (ObjectMeta Meta, YamlNode NameNode)? Read(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, Fields) is not { } f) return null;
        var name = r.RequiredText(f, "name", TextRule.Dns1123Label);
        var ns = f["namespace"] is { } n ? r.Text(n, f.PathOf("namespace"), TextRule.Dns1123Label) : ObjectKinds.DefaultNamespace;
        var labels = f["labels"] is { } l ? r.Labels(l, f.PathOf("labels")) : new Dictionary<string, string>();
        var generation = f["generation"] is { } g ? r.WholeNumber(g, f.PathOf("generation"), 0, long.MaxValue) : 0;
        var resourceVersion = f["resourceVersion"] is { } v ? r.WholeNumber(v, f.PathOf("resourceVersion"), 0, long.MaxValue) : 0;
        if (name is null || ns is null) return null;
        var meta = new ObjectMeta
        {
            Name = name,
            Namespace = ns,
            Labels = labels,
            Generation = generation ?? 0,
            ResourceVersion = resourceVersion ?? 0,
        };
        return (meta, f["name"]!);
    }
}
