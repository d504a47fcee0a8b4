using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// A Deployment's pod volumes, its container's volumeMounts and env valueFrom as ours: secret, configMap (our config)
/// and emptyDir volumes; secretKeyRef and configMapKeyRef (our configKeyRef). A PersistentVolumeClaim (storage apart
/// from the service) and a hostPath (the node's files) are refused.
/// </summary>
internal static class KubernetesVolumes
{
    public const string ClaimsRefused = "a PersistentVolumeClaim is not supported: storage here belongs to its service, with no claim apart from it; " +
        "write the service in our manifest with volumes: [{name: data, persistent: {}}] (docs/volumes.md)";

    public static readonly KeyTable VolumeKeys = KeyTable.Of("kubernetes Deployment spec.template.spec.volumes[]", mapped: ["name", "secret", "configMap", "emptyDir"],
        refused: new()
        {
            ["persistentVolumeClaim"] = ClaimsRefused,
            ["hostPath"] = "hostPath is refused: the node's files differ from node to node and would be handed to the container",
        });
    public static readonly KeyTable SecretKeys = KeyTable.Of("kubernetes Deployment volumes[].secret", mapped: ["secretName", "items", "optional"]);
    public static readonly KeyTable ConfigMapKeys = KeyTable.Of("kubernetes Deployment volumes[].configMap", mapped: ["name", "items", "optional"]);
    public static readonly KeyTable ItemKeys = KeyTable.Of("kubernetes Deployment volumes[].secret.items[] and .configMap.items[]", mapped: ["key", "path"]);
    public static readonly KeyTable EmptyDirKeys = KeyTable.Of("kubernetes Deployment volumes[].emptyDir", mapped: ["medium"]);
    public static readonly KeyTable MountKeys = KeyTable.Of("kubernetes Deployment containers[].volumeMounts[]", mapped: ["name", "mountPath", "readOnly"]);
    public static readonly KeyTable EnvKeys = KeyTable.Of("kubernetes Deployment containers[].env[]", mapped: ["name", "value", "valueFrom"]);
    public static readonly KeyTable ValueFromKeys = KeyTable.Of("kubernetes Deployment containers[].env[].valueFrom", mapped: ["secretKeyRef", "configMapKeyRef"]);
    public static readonly KeyTable KeyRefKeys = KeyTable.Of("kubernetes Deployment env[].valueFrom.secretKeyRef and .configMapKeyRef", mapped: ["name", "key", "optional"]);

    /// <summary>The volumes; one whose kind was refused or unsupported is left out, its name in <paramref name="dropped"/> (so its mounts are too).</summary>
    public static YamlNode? Volumes(YamlNode node, string path, HashSet<string> dropped, Translator t)
    {
        if (t.Reader.List(node, path, "volumes, like [{name: conf, configMap: {name: app}}]") is not { } list
            || !t.Reader.AtMost(list, path, list.Children.Count, ManifestLimits.MaxVolumes, "volumes")) return null;
        var ours = t.List(node);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (t.Keys(list.Children[i], itemPath, VolumeKeys) is not { } f) continue;
            if (!f.ContainsKey("secret") && !f.ContainsKey("configMap") && !f.ContainsKey("emptyDir"))
            {
                if (f.GetValueOrDefault("name").Value is YamlScalarNode { Value: { } name }) dropped.Add(name);
                continue;
            }
            var volume = t.Map(list.Children[i]).With("name", f.GetValueOrDefault("name").Value);
            if (f.GetValueOrDefault("secret").Value is { } secret)
                volume.With(VolumeKinds.Secret, Copy(secret, FieldPath.Field(itemPath, "secret"), SecretKeys, t));
            if (f.GetValueOrDefault("configMap").Value is { } configMap)
                volume.With(VolumeKinds.Config, Copy(configMap, FieldPath.Field(itemPath, "configMap"), ConfigMapKeys, t));
            if (f.GetValueOrDefault("emptyDir").Value is { } emptyDir)
                volume.With(VolumeKinds.EmptyDir, Copy(emptyDir, FieldPath.Field(itemPath, "emptyDir"), EmptyDirKeys, t));
            ours.Add(volume);
        }
        return ours;
    }

    /// <summary>The same names as ours; items checked key by key.</summary>
    private static YamlNode? Copy(YamlNode node, string path, KeyTable table, Translator t)
    {
        if (YamlScalars.IsNull(node) || node is YamlMappingNode { Children.Count: 0 }) return t.Map(node);
        if (t.Keys(node, path, table) is not { } f) return null;
        var ours = t.Map(node);
        foreach (var (name, (_, value)) in f)
            ours.With(name, name == "items" ? Each(value, FieldPath.Field(path, name), ItemKeys, t) : value);
        return ours;
    }

    /// <summary>A list whose items are mappings of known keys, copied.</summary>
    private static YamlNode? Each(YamlNode node, string path, KeyTable table, Translator t)
    {
        if (t.Reader.List(node, path, "a list of mappings") is not { } list) return null;
        var ours = t.List(node);
        for (var i = 0; i < list.Children.Count; i++)
            if (t.Keys(list.Children[i], FieldPath.Index(path, i), table) is { } f)
                ours.Add(t.Map(list.Children[i]).Tap(m => { foreach (var (name, (_, value)) in f) m.With(name, value); }));
        return ours;
    }

    public static YamlNode? Mounts(YamlNode node, string path, HashSet<string> dropped, Translator t)
    {
        if (Each(node, path, MountKeys, t) is not YamlSequenceNode mounts) return null;
        var kept = t.List(node);
        foreach (var mount in mounts.Children)
            if (!(mount is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode { Value: { } name } && dropped.Contains(name)))
                kept.Add(mount);
        return kept;
    }

    /// <summary>{name, value} as it is; valueFrom's secretKeyRef as it is, configMapKeyRef as our configKeyRef.</summary>
    public static YamlNode? Env(YamlNode node, string path, Translator t)
    {
        if (node is not YamlSequenceNode list) return node;
        var ours = t.List(node);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (t.Keys(list.Children[i], itemPath, EnvKeys) is not { } f) continue;
            var env = t.Map(list.Children[i]).With("name", f.GetValueOrDefault("name").Value).With("value", f.GetValueOrDefault("value").Value);
            if (f.GetValueOrDefault("valueFrom").Value is { } from && t.Keys(from, FieldPath.Field(itemPath, "valueFrom"), ValueFromKeys) is { } refs)
            {
                var ourFrom = t.Map(from);
                if (refs.GetValueOrDefault("secretKeyRef").Value is { } secret)
                    ourFrom.With("secretKeyRef", Copy(secret, FieldPath.Field(itemPath, "valueFrom.secretKeyRef"), KeyRefKeys, t));
                if (refs.GetValueOrDefault("configMapKeyRef").Value is { } config)
                    ourFrom.With("configKeyRef", Copy(config, FieldPath.Field(itemPath, "valueFrom.configMapKeyRef"), KeyRefKeys, t));
                // Only an unsupported source (fieldRef...), skipped with a warning: the variable is left out.
                if (ourFrom.Children.Count == 0) continue;
                env.With("valueFrom", ourFrom);
            }
            ours.Add(env);
        }
        return ours;
    }
}
