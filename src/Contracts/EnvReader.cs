using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Reads spec.env in either form: a map (<c>GREETING: hello</c>) or Kubernetes' list of <c>{name, value}</c>,
/// so that env blocks copied from Kubernetes manifests work unchanged. A list item may take its value from a Secret's
/// or Config's key instead (<c>valueFrom: {secretKeyRef: {name, key, optional}}</c>); those go to <paramref name="refs"/>.
/// </summary>
internal static class EnvReader
{
    private static readonly string[] ItemFields = ["name", "value", "valueFrom"];
    private static readonly string[] SourceFields = ["secretKeyRef", "configKeyRef"];
    private static readonly string[] KeyRefFields = ["name", "key", "optional"];
    // Kubernetes' own name, so that a copied manifest is told what it is called here.
    private static readonly Dictionary<string, string> RefusedSources = new()
    {
        ["configMapKeyRef"] = "configs are Config objects here: write configKeyRef",
        ["fieldRef"] = "fieldRef is not supported; only secretKeyRef and configKeyRef",
        ["resourceFieldRef"] = "resourceFieldRef is not supported; only secretKeyRef and configKeyRef",
    };

    public static Dictionary<string, string> Read(YamlNode node, string path, ManifestReader r, Dictionary<string, EnvSource> refs) => node switch
    {
        YamlMappingNode map when r.AtMost(map, path, map.Children.Count, ManifestLimits.MaxEnv, "variables") =>
            r.TextMap(map, path, TextRule.EnvName, TextRule.EnvValue),
        YamlSequenceNode list when r.AtMost(list, path, list.Children.Count, ManifestLimits.MaxEnv, "variables") =>
            ReadList(list, path, r, refs),
        YamlMappingNode or YamlSequenceNode => new(),
        _ => Wrong(node, path, r),
    };

    private static Dictionary<string, string> ReadList(YamlSequenceNode list, string path, ManifestReader r, Dictionary<string, EnvSource> refs)
    {
        var env = new Dictionary<string, string>();
        var firstPath = new Dictionary<string, string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (r.Fields(list.Children[i], itemPath, ItemFields) is not { } f) continue;
            var value = f["value"] is { } v ? r.Text(v, f.PathOf("value"), TextRule.EnvValue) : "";
            var source = f["valueFrom"] is { } from ? Source(from, f.PathOf("valueFrom"), r) : null;
            if (f["value"] is not null && f["valueFrom"] is { } both)
                r.Error(both, f.PathOf("valueFrom"), "set either value or valueFrom, not both");
            if (r.RequiredText(f, "name", TextRule.EnvName) is not { } name) continue;
            if (firstPath.TryGetValue(name, out var first))
                r.Error(f["name"]!, f.PathOf("name"), $"{YamlScalars.Quote(name)} is already set by {first}");
            else if (source is not null)
            {
                refs[name] = source;
                firstPath[name] = itemPath;
            }
            else if (value is not null && f["valueFrom"] is null)
            {
                env[name] = value;
                firstPath[name] = itemPath;
            }
        }
        return env;
    }

    private static EnvSource? Source(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, SourceFields, RefusedSources) is not { } f) return null;
        if (f["secretKeyRef"] is not null == f["configKeyRef"] is not null)
        {
            r.Error(node, path, "must have exactly one of secretKeyRef or configKeyRef");
            return null;
        }
        var kind = f["secretKeyRef"] is not null ? DataKinds.Secret : DataKinds.Config;
        var field = kind == DataKinds.Secret ? "secretKeyRef" : "configKeyRef";
        if (KeyRef(f[field]!, f.PathOf(field), kind, r) is not { } keyRef) return null;
        return kind == DataKinds.Secret ? new EnvSource { SecretKeyRef = keyRef } : new EnvSource { ConfigKeyRef = keyRef };
    }

    private static KeyRef? KeyRef(YamlNode node, string path, string kind, ManifestReader r)
    {
        if (r.Fields(node, path, KeyRefFields) is not { } f) return null;
        var name = r.RequiredText(f, "name", TextRule.Dns1123Label);
        var key = r.RequiredText(f, "key", TextRule.DataKey);
        var optional = f["optional"] is { } o ? r.Bool(o, f.PathOf("optional")) : false;
        if (name is null || key is null || optional is null) return null;
        r.Reference(f["name"]!, f.PathOf("name"), kind, name, key, optional.Value);
        return new KeyRef { Name = name, Key = key, Optional = optional.Value };
    }

    private static Dictionary<string, string> Wrong(YamlNode node, string path, ManifestReader r)
    {
        r.Error(node, path, $"must be a mapping of NAME: value, or a list of {{name, value}}, got {YamlScalars.Describe(node)}");
        return new();
    }
}
