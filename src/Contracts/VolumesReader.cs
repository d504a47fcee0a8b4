using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Reads spec.volumes (a name and exactly one kind each) and spec.volumeMounts (each naming one of them, at an absolute
/// path, no two at the same path). Kubernetes' names, so that a copied manifest reads the same. Secret and config
/// volumes note each reference to their object where it is written (the control plane checks them).
/// </summary>
internal static class VolumesReader
{
    private static readonly string[] Policies = [nameof(VolumeReclaimPolicy.Retain), nameof(VolumeReclaimPolicy.Delete)];
    private static readonly string[] Media = [EmptyDirVolumeSource.MemoryMedium];
    private static readonly string[] MountFields = ["name", "mountPath", "readOnly"];
    private static readonly string[] SecretFields = ["secretName", "optional", "items"];
    private static readonly string[] ConfigFields = ["name", "optional", "items"];
    private static readonly string[] ItemFields = ["key", "path"];
    private static readonly Dictionary<string, string> RefusedKinds = new()
    {
        ["configMap"] = "configs are Config objects here: write config: {name}",
        ["hostPath"] = "hostPath volumes are refused: they hand a container the node's files",
    };

    /// <summary>The kinds: each reads its own mapping into the volume. A new kind is one more entry.</summary>
    private static readonly (string Field, Func<YamlNode, string, ManifestReader, VolumeSpec, VolumeSpec> Read)[] Kinds =
    [
        (VolumeKinds.Persistent, (node, path, r, v) => v with { Persistent = new() { ReclaimPolicy = ReclaimPolicy(node, path, r) } }),
        (VolumeKinds.Shared, (node, path, r, v) => v with { Shared = new() { ReclaimPolicy = ReclaimPolicy(node, path, r) } }),
        (VolumeKinds.EmptyDir, EmptyDir),
        (VolumeKinds.Secret, (node, path, r, v) => DataSource(node, path, SecretFields, "secretName", DataKinds.Secret, r) is var (name, optional, items)
            ? v with { Secret = new() { SecretName = name, Optional = optional, Items = items } } : v),
        (VolumeKinds.Config, (node, path, r, v) => DataSource(node, path, ConfigFields, "name", DataKinds.Config, r) is var (name, optional, items)
            ? v with { Config = new() { Name = name, Optional = optional, Items = items } } : v),
    ];

    private static readonly string[] VolumeFields = ["name", .. Kinds.Select(k => k.Field)];

    private static readonly string KindList = string.Join(", ", Kinds.Select(k => k.Field));

    public static List<VolumeSpec> ReadVolumes(YamlNode node, string path, ManifestReader r)
    {
        var volumes = new List<VolumeSpec>();
        if (r.List(node, path, $"volumes, like [{{name: data, persistent: {{}}}}]") is not { } list
            || !r.AtMost(list, path, list.Children.Count, ManifestLimits.MaxVolumes, "volumes")) return volumes;
        var names = new Dictionary<string, string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (r.Fields(list.Children[i], itemPath, VolumeFields, RefusedKinds) is not { } f) continue;
            var name = r.RequiredText(f, "name", TextRule.Dns1123Label);
            var kinds = Kinds.Where(k => f[k.Field] is not null).ToList();
            if (kinds.Count != 1)
            {
                r.Error(kinds.Count == 0 ? list.Children[i] : f.LocationOf(kinds[1].Field), itemPath,
                    kinds.Count == 0
                        ? $"needs exactly one kind: {KindList} (written as a mapping, like persistent: {{}})"
                        : $"has {string.Join(" and ", kinds.Select(k => k.Field))}; a volume has exactly one kind");
                continue;
            }
            // The kind is read even without a good name, so that every mistake of the entry is reported at once.
            var kind = kinds[0];
            var volume = kind.Read(f[kind.Field]!, f.PathOf(kind.Field), r, new VolumeSpec { Name = name ?? "" });
            if (name is null) continue;
            if (!names.TryAdd(name, itemPath))
            {
                r.Error(f["name"]!, f.PathOf("name"), $"volume {YamlScalars.Quote(name)} is already defined at {names[name]}");
                continue;
            }
            // Kept even when its kind's mapping had errors (the load fails on them), so that its mounts are not refused too.
            volumes.Add(volume);
        }
        return volumes;
    }

    public static List<VolumeMount> ReadMounts(YamlNode node, string path, IReadOnlyList<VolumeSpec> volumes, ManifestReader r)
    {
        var mounts = new List<VolumeMount>();
        if (r.List(node, path, "mounts, like [{name: data, mountPath: /data}]") is not { } list
            || !r.AtMost(list, path, list.Children.Count, ManifestLimits.MaxVolumeMounts, "volume mounts")) return mounts;
        var paths = new Dictionary<string, string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (r.Fields(list.Children[i], itemPath, MountFields) is not { } f) continue;
            var name = r.RequiredText(f, "name", TextRule.Dns1123Label);
            var mountPath = r.RequiredText(f, "mountPath", TextRule.MountPath);
            var readOnly = f["readOnly"] is { } ro ? r.Bool(ro, f.PathOf("readOnly")) : false;
            if (name is not null && volumes.All(v => v.Name != name))
            {
                var known = volumes.Select(v => v.Name).ToList();
                r.Error(f["name"]!, f.PathOf("name"), known.Count == 0
                    ? $"no volume {YamlScalars.Quote(name)}: spec.volumes defines none"
                    : $"no volume {YamlScalars.Quote(name)} in spec.volumes; defined: {string.Join(", ", known)}{DidYouMean.Hint(name, known)}");
                continue;
            }
            if (mountPath is null || name is null || readOnly is null) continue;
            var normal = mountPath.TrimEnd('/');
            if (!paths.TryAdd(normal, itemPath))
            {
                r.Error(f["mountPath"]!, f.PathOf("mountPath"), $"{normal} is already mounted by {paths[normal]}");
                continue;
            }
            mounts.Add(new VolumeMount { Name = name, MountPath = normal, ReadOnly = readOnly.Value });
        }
        return mounts;
    }

    private static VolumeReclaimPolicy? ReclaimPolicy(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, ["reclaimPolicy"]) is not { } f || f["reclaimPolicy"] is not { } policy) return null;
        return r.Word(policy, f.PathOf("reclaimPolicy"), Policies) is { } word ? Enum.Parse<VolumeReclaimPolicy>(word) : null;
    }

    private static VolumeSpec EmptyDir(YamlNode node, string path, ManifestReader r, VolumeSpec volume)
    {
        if (r.Fields(node, path, ["medium"]) is not { } f) return volume with { EmptyDir = new() };
        var medium = f["medium"] is { } m ? r.Word(m, f.PathOf("medium"), Media) : null;
        return volume with { EmptyDir = new() { Medium = medium } };
    }

    /// <summary>The fields secret and config share (the object's name under <paramref name="nameField"/>, optional, items), each reference noted where written.</summary>
    private static (string Name, bool Optional, List<KeyToPath>? Items)? DataSource(YamlNode node, string path, string[] fields, string nameField, string kind, ManifestReader r)
    {
        if (r.Fields(node, path, fields) is not { } f) return null;
        var name = r.RequiredText(f, nameField, TextRule.Dns1123Label);
        var optional = f["optional"] is { } o ? r.Bool(o, f.PathOf("optional")) : false;
        var items = f["items"] is { } i ? Items(i, f.PathOf("items"), kind, r) : null;
        if (name is null || optional is null) return null;
        r.Reference(f[nameField]!, f.PathOf(nameField), kind, name, null, optional.Value);
        foreach (var (key, keyNode, keyPath) in items?.Nodes ?? []) r.Reference(keyNode, keyPath, kind, name, key, optional.Value);
        return (name, optional.Value, items?.Items);
    }

    private sealed record ReadItems(List<KeyToPath> Items, List<(string Key, YamlNode Node, string Path)> Nodes);

    private static ReadItems? Items(YamlNode node, string path, string kind, ManifestReader r)
    {
        if (r.List(node, path, $"keys of the {kind} as files, like [{{key: password, path: db/password}}]") is not { } list
            || !r.AtMost(list, path, list.Children.Count, ManifestLimits.MaxDataKeys, "items")) return null;
        var items = new ReadItems([], []);
        var paths = new Dictionary<string, string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (r.Fields(list.Children[i], itemPath, ItemFields) is not { } f) continue;
            var key = r.RequiredText(f, "key", TextRule.DataKey);
            var file = r.RequiredText(f, "path", TextRule.RelativeFilePath);
            if (key is null || file is null) continue;
            if (!paths.TryAdd(file, itemPath))
            {
                r.Error(f["path"]!, f.PathOf("path"), $"{YamlScalars.Quote(file)} is already the path of {paths[file]}");
                continue;
            }
            items.Items.Add(new KeyToPath { Key = key, Path = file });
            items.Nodes.Add((key, f["key"]!, f.PathOf("key")));
        }
        return items;
    }
}
