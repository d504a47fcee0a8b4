using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Reads spec.volumes (<c>[{name, &lt;kind&gt;: {...}}]</c>, exactly one kind per entry) and spec.volumeMounts
/// (<c>[{name, mountPath, readOnly}]</c>). Each kind is read by its own method, so that more kinds are added beside
/// these (<see cref="VolumeSpec"/>).
/// </summary>
internal static class VolumeSourcesReader
{
    /// <summary>The kinds an entry may have; each is one field of the entry.</summary>
    public static readonly string[] Kinds = ["secret", "config"];
    private static readonly string[] VolumeFields = ["name", .. Kinds];
    private static readonly string[] SecretFields = ["secretName", "optional", "items"];
    private static readonly string[] ConfigFields = ["name", "optional", "items"];
    private static readonly string[] ItemFields = ["key", "path"];
    private static readonly string[] MountFields = ["name", "mountPath", "readOnly"];
    private static readonly Dictionary<string, string> RefusedKinds = new()
    {
        ["configMap"] = "configs are Config objects here: write config: {name}",
        ["hostPath"] = "hostPath volumes are refused: they hand a container the node's files",
    };

    public static List<VolumeSpec> ReadVolumes(YamlNode node, string path, ManifestReader r)
    {
        var volumes = new List<VolumeSpec>();
        if (r.List(node, path, "volumes, like [{name: db, secret: {secretName: db}}]") is not { } list
            || !r.AtMost(list, path, list.Children.Count, ManifestLimits.MaxVolumes, "volumes")) return volumes;
        var names = new Dictionary<string, string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (r.Fields(list.Children[i], itemPath, VolumeFields, RefusedKinds) is not { } f) continue;
            var name = r.RequiredText(f, "name", TextRule.Dns1123Label);
            var kinds = Kinds.Where(k => f[k] is not null).ToList();
            if (kinds.Count != 1)
            {
                r.Error(list.Children[i], itemPath, kinds.Count == 0
                    ? $"needs one kind: one of {string.Join(", ", Kinds)}"
                    : $"has {string.Join(" and ", kinds)}; an entry has exactly one kind");
                continue;
            }
            var volume = kinds[0] switch
            {
                "secret" => Secret(f["secret"]!, f.PathOf("secret"), r) is { } s ? new VolumeSpec { Secret = s } : null,
                _ => Config(f["config"]!, f.PathOf("config"), r) is { } c ? new VolumeSpec { Config = c } : null,
            };
            if (name is null) continue;
            if (!names.TryAdd(name, itemPath))
            {
                r.Error(f["name"]!, f.PathOf("name"), $"volume {YamlScalars.Quote(name)} is already defined by {names[name]}");
                continue;
            }
            if (volume is not null) volumes.Add(volume with { Name = name });
        }
        return volumes;
    }

    private static SecretVolumeSource? Secret(YamlNode node, string path, ManifestReader r) =>
        DataSource(node, path, SecretFields, "secretName", DataKinds.Secret, r) is var (name, optional, items)
            ? new SecretVolumeSource { SecretName = name, Optional = optional, Items = items }
            : null;

    private static ConfigVolumeSource? Config(YamlNode node, string path, ManifestReader r) =>
        DataSource(node, path, ConfigFields, "name", DataKinds.Config, r) is var (name, optional, items)
            ? new ConfigVolumeSource { Name = name, Optional = optional, Items = items }
            : null;

    /// <summary>The fields both kinds share (the object's name under <paramref name="nameField"/>, optional, items), each reference noted where written.</summary>
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

    public static List<VolumeMount> ReadMounts(YamlNode node, string path, IReadOnlyList<VolumeSpec> volumes, ManifestReader r)
    {
        var mounts = new List<VolumeMount>();
        if (r.List(node, path, "mounts, like [{name: db, mountPath: /etc/db, readOnly: true}]") is not { } list
            || !r.AtMost(list, path, list.Children.Count, ManifestLimits.MaxVolumes, "mounts")) return mounts;
        var names = volumes.Select(v => v.Name).ToList();
        var paths = new Dictionary<string, string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var itemPath = FieldPath.Index(path, i);
            if (r.Fields(list.Children[i], itemPath, MountFields) is not { } f) continue;
            var name = r.RequiredText(f, "name", TextRule.Dns1123Label);
            var mountPath = r.RequiredText(f, "mountPath", TextRule.MountPath);
            var readOnly = f["readOnly"] is { } ro ? r.Bool(ro, f.PathOf("readOnly")) : false;
            if (name is null || mountPath is null || readOnly is null) continue;
            if (!names.Contains(name))
            {
                r.Error(f["name"]!, f.PathOf("name"), $"no volume {YamlScalars.Quote(name)} in spec.volumes" +
                        (names.Count == 0 ? "" : $"; there are: {string.Join(", ", names)}{DidYouMean.Hint(name, names)}"));
                continue;
            }
            if (!paths.TryAdd(mountPath, itemPath))
            {
                r.Error(f["mountPath"]!, f.PathOf("mountPath"), $"{YamlScalars.Quote(mountPath)} is already mounted by {paths[mountPath]}");
                continue;
            }
            mounts.Add(new VolumeMount { Name = name, MountPath = mountPath, ReadOnly = readOnly.Value });
        }
        return mounts;
    }
}
