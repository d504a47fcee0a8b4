using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Reads one YAML document of a manifest: the envelope (apiVersion, kind, metadata) and the spec of its kind.</summary>
internal static class ManifestDocument
{
    private static readonly string[] TopLevel = ["apiVersion", "kind", "metadata", "spec"];

    // Secrets and configs are Kubernetes-shaped: their values sit beside metadata, not under a spec.
    private static readonly Dictionary<string, string[]> TopLevelOf = new()
    {
        [ObjectKinds.Service] = TopLevel,
        [ObjectKinds.Secret] = DataObjectReader.SecretFields,
        [ObjectKinds.Config] = DataObjectReader.ConfigFields,
    };
    private static readonly string[] ApiVersions = [ObjectKinds.ApiVersion];

    // Status is what the control plane observed; accepting it from a manifest would let a file claim a state.
    private static readonly Dictionary<string, string> Refused = new()
    {
        ["status"] = "status is reported by the control plane and cannot be set in a manifest; remove it",
    };

    /// <summary>The document's object, or null when not even its kind and name could be read.</summary>
    public static ManifestObject? Read(YamlNode root, ManifestReader r)
    {
        var errorsBefore = r.Errors.Count;
        var referencesBefore = r.References.Count;
        if (r.Fields(root, "", TopLevelOf.GetValueOrDefault(KindWritten(root) ?? "", TopLevel), Refused) is not { } document) return null;
        var apiVersion = OneOf(document, "apiVersion", ApiVersions, r);
        var kind = OneOf(document, "kind", ObjectKinds.All, r);
        var metadata = r.Required(document, "metadata", "a mapping with at least name") is { } m
            ? ObjectMetaReader.Read(m, document.PathOf("metadata"), r)
            : null;
        // Only a known kind has a known spec to check.
        var spec = kind == ObjectKinds.Service && r.Required(document, "spec", "a mapping with at least image") is { } s
            ? ServiceSpecReader.Read(s, document.PathOf("spec"), r)
            : null;
        var secret = kind == ObjectKinds.Secret ? DataObjectReader.ReadSecret(document, root, r) : null;
        var config = kind == ObjectKinds.Config ? DataObjectReader.ReadConfig(document, root, r) : null;
        if (kind is null || metadata is not var (meta, nameNode)) return null;
        for (var i = referencesBefore; i < r.References.Count; i++)
            r.References[i] = r.References[i] with { Namespace = meta.Namespace, Service = meta.Name };
        object? value = r.Errors.Count != errorsBefore || apiVersion is null ? null : kind switch
        {
            ObjectKinds.Service when spec is not null => new ServiceObject { ApiVersion = apiVersion, Kind = kind, Metadata = meta, Spec = spec },
            ObjectKinds.Secret when secret is not null => new SecretObject
            {
                ApiVersion = apiVersion, Metadata = meta, Data = secret.ToDictionary(v => v.Key, v => Convert.ToBase64String(v.Value)),
            },
            ObjectKinds.Config when config is not null => new ConfigObject { ApiVersion = apiVersion, Metadata = meta, Data = config },
            _ => null,
        };
        return new ManifestObject(r.File, kind, meta.Namespace, meta.Name, nameNode, value);
    }

    /// <summary>The kind as written, before it is checked, to know which top-level fields the document may have.</summary>
    private static string? KindWritten(YamlNode root) =>
        root is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("kind"), out var kind) && kind is YamlScalarNode { Value: { } text }
            ? text
            : null;

    private static string? OneOf(FieldSet document, string field, IReadOnlyList<string> allowed, ManifestReader r)
    {
        var listed = string.Join(", ", allowed);
        if (r.Required(document, field, $"one of {listed}") is not { } node || r.Text(node, field) is not { } value) return null;
        if (allowed.Contains(value)) return value;
        r.Error(node, field, $"unknown {field} {YamlScalars.Quote(value)}; allowed: {listed}{DidYouMean.Hint(value, allowed)}");
        return null;
    }
}
