using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Kubernetes documents of one file as ours: an apps/v1 Deployment is a Service; a v1 Service joins the Deployment of
/// the same file whose pod labels it selects (the pair is one of our Services, named as the Service, which is the name
/// clients use); a v1 ConfigMap is a Config and a v1 Secret a Secret. Any other kind is refused by its name.
/// </summary>
internal static class KubernetesManifests
{
    public static readonly KeyTable Metadata = KeyTable.Of("kubernetes metadata", mapped: ["name", "namespace", "labels"], ignored: ["annotations"]);
    public static readonly KeyTable ConfigMapKeys = KeyTable.Of("kubernetes v1 ConfigMap", mapped: ["apiVersion", "kind", "metadata", "data"]);
    public static readonly KeyTable SecretKeys = KeyTable.Of("kubernetes v1 Secret", mapped: ["apiVersion", "kind", "metadata", "data", "stringData", "type"]);

    private static readonly Dictionary<string, string> Kinds = new()
    {
        ["Deployment"] = "apps/v1", ["Service"] = "v1", ["ConfigMap"] = "v1", ["Secret"] = "v1",
    };
    public static string Supported => string.Join(", ", Kinds.Select(k => $"{k.Value} {k.Key}"));

    /// <summary>
    /// True for a document whose apiVersion is Kubernetes': v1 or GROUP/VERSION. One of our Services with a wrong
    /// apiVersion (its spec has an image) is left to our reader, which names the apiVersion.
    /// </summary>
    public static bool IsKubernetes(YamlNode root) =>
        root is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("apiVersion"), out var v)
        && v is YamlScalarNode { Value: { } version } && (version == "v1" || version.Contains('/') && !version.StartsWith("orchestrator/", StringComparison.Ordinal))
        && !(map.Children.TryGetValue(new YamlScalarNode("spec"), out var spec) && spec is YamlMappingNode s && s.Children.ContainsKey(new YamlScalarNode("image")));

    public static List<YamlNode> Translate(List<YamlNode> documents, Translator t)
    {
        var ours = new List<YamlNode>();
        var deployments = new List<KubernetesDeployment>();
        var services = new List<(YamlNode Root, Dictionary<string, (YamlNode Key, YamlNode Value)> Fields)>();
        foreach (var root in documents)
        {
            if (!IsKubernetes(root)) { ours.Add(root); continue; }
            var map = (YamlMappingNode)root;
            var version = ((YamlScalarNode)map.Children[new YamlScalarNode("apiVersion")]).Value!;
            var kindNode = map.Children.TryGetValue(new YamlScalarNode("kind"), out var k) ? k : root;
            var kind = (kindNode as YamlScalarNode)?.Value ?? "";
            if (Kinds.GetValueOrDefault(kind) != version)
            {
                t.Refuse(kindNode, "kind", $"{version} {kind} is not supported; supported: {Supported} (docs/compat.md)"
                    + (kind == "PersistentVolumeClaim" ? $". {KubernetesVolumes.ClaimsRefused}" : ""));
                continue;
            }
            switch (kind)
            {
                case "Deployment":
                    if (KubernetesDeployment.Read(map, t) is { } deployment) deployments.Add(deployment);
                    break;
                case "Service":
                    if (t.Keys(root, "", KubernetesService.Keys) is { } fields) services.Add((root, fields));
                    break;
                case "ConfigMap" or "Secret":
                    if (Data(map, kind, t) is { } data) ours.Add(data);
                    break;
            }
        }
        foreach (var (root, fields) in services)
            KubernetesService.Join(root, fields, deployments, t);
        ours.AddRange(deployments.Select(d => d.Document(t)));
        return ours;
    }

    /// <summary>metadata as ours: name, namespace and labels; annotations dropped.</summary>
    public static YamlMappingNode? ReadMetadata(YamlMappingNode root, Translator t)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata))
        {
            t.Reader.Error(root, "metadata", "required: a mapping with at least name");
            return null;
        }
        if (t.Keys(metadata, "metadata", Metadata) is not { } f) return null;
        var ours = t.Map(metadata);
        foreach (var (name, (_, value)) in f) ours.With(name, value);
        return ours;
    }

    public static YamlMappingNode Envelope(string kind, YamlNode origin, YamlMappingNode metadata, Translator t) =>
        t.Map(origin)
            .With("apiVersion", t.Text(ObjectKinds.ApiVersion, origin))
            .With("kind", t.Text(kind, origin))
            .With("metadata", metadata);

    private static YamlNode? Data(YamlMappingNode root, string kind, Translator t)
    {
        if (t.Keys(root, "", kind == "Secret" ? SecretKeys : ConfigMapKeys) is not { } f || ReadMetadata(root, t) is not { } metadata) return null;
        if (f.GetValueOrDefault("type").Value is { } type && t.Reader.Text(type, "type") is { } typeText && typeText != "Opaque")
            t.Unsupported(type, "type", $"only Opaque secrets are supported, got {YamlScalars.Quote(typeText)}");
        var ours = Envelope(kind == "Secret" ? ObjectKinds.Secret : ObjectKinds.Config, root, metadata, t);
        foreach (var field in new[] { "data", "stringData" })
            if (f.GetValueOrDefault(field).Value is { } value) ours.With(field, value);
        return ours;
    }
}
