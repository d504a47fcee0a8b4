using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// A Compose file (the Compose Specification; docker stack's compose.yaml) turned into our documents: one Service per
/// entry of services, one Secret or Config per top-level secret or config read from a file. Recognised by its shape:
/// a top-level services mapping and no kind.
/// </summary>
internal static class ComposeFile
{
    public static readonly KeyTable TopLevel = KeyTable.Of("compose",
        mapped: ["services", "volumes", "secrets", "configs", "name"],
        ignored: ["version", "networks"]) with { IgnoredPrefix = "x-" };

    public static bool IsCompose(YamlNode root) =>
        root is YamlMappingNode map && map.Children.ContainsKey(new YamlScalarNode("services"))
        && !map.Children.ContainsKey(new YamlScalarNode("kind"));

    public static List<YamlNode> Translate(YamlNode root, Translator t)
    {
        var documents = new List<YamlNode>();
        if (t.Keys(root, "", TopLevel) is not { } top) return documents;
        var project = new ComposeProject { Name = top.GetValueOrDefault("name").Value };
        if (top.GetValueOrDefault("volumes").Value is { } volumes) ComposeVolumes.TopLevel(volumes, t);
        ComposeProject.Names(top.GetValueOrDefault("volumes").Value, project.Volumes);
        ComposeProject.Names(top.GetValueOrDefault("secrets").Value, project.Secrets);
        ComposeProject.Names(top.GetValueOrDefault("configs").Value, project.Configs);
        if (top.GetValueOrDefault("services").Value is { } services && t.Reader.Map(services, "services", "service names to services") is { } map)
        {
            if (t.Reader.AtMost(map, "services", map.Children.Count, ManifestLimits.MaxObjects, "services"))
                foreach (var (name, key, value) in t.Reader.Entries(map, "services"))
                    if (ComposeService.Translate(name, key, value, project, t) is { } document) documents.Add(document);
        }
        else t.Reader.Error(root, "services", "required: a mapping of service names to services");
        if (top.GetValueOrDefault("secrets").Value is { } secrets)
            documents.AddRange(ComposeData.Translate(secrets, "secrets", ObjectKinds.Secret, t));
        if (top.GetValueOrDefault("configs").Value is { } configs)
            documents.AddRange(ComposeData.Translate(configs, "configs", ObjectKinds.Config, t));
        return documents;
    }

    /// <summary>
    /// The envelope of one of our documents: apiVersion, kind, metadata with the name (at its key) and labels. A name's
    /// '_' becomes '-' (as kompose does): Compose allows it, our names are DNS labels.
    /// </summary>
    public static YamlMappingNode Document(string kind, YamlNode nameKey, string name, YamlNode origin, Translator t, YamlMappingNode? labels = null)
    {
        var metadata = t.Map(nameKey).With("name", t.Text(name.Replace('_', '-'), nameKey)).With("labels", labels);
        return t.Map(origin)
            .With("apiVersion", new YamlScalarNode(ObjectKinds.ApiVersion))
            .With("kind", new YamlScalarNode(kind))
            .With("metadata", metadata);
    }
}
