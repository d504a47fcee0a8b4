using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Compose volumes: a named volume (declared under the top-level volumes) is our <c>shared</c> volume, one Docker
/// volume per service and node that the service's replicas there share, which is what a named volume is to Compose
/// and Swarm; kept when the service goes (Retain), as <c>docker compose down</c> keeps it. A path alone (an anonymous
/// volume) is an emptyDir, tmpfs an emptyDir in memory. A bind mount (a path of the node) is refused.
/// </summary>
internal static class ComposeVolumes
{
    public const string BindRefused = "bind mounts are refused: a path of the node's disk would differ from node to node and hand the container the node's files; " +
        "use a named volume (declared under the top-level volumes)";

    public static readonly KeyTable TopLevelKeys = KeyTable.Of("compose volumes.*", mapped: ["driver"], ignored: ["labels"]);
    public static readonly KeyTable MountKeys = KeyTable.Of("compose services.*.volumes[]", mapped: ["type", "source", "target", "read_only"],
        refused: new() { ["bind"] = BindRefused });

    /// <summary>Checks the top-level entries: nothing, or driver local.</summary>
    public static void TopLevel(YamlNode node, Translator t)
    {
        if (t.Reader.Map(node, "volumes", "volume names to {} (or nothing)") is not { } map) return;
        foreach (var (name, _, value) in t.Reader.Entries(map, "volumes"))
        {
            if (YamlScalars.IsNull(value)) continue;
            var path = FieldPath.Field("volumes", name);
            if (t.Keys(value, path, TopLevelKeys) is { } f && f.GetValueOrDefault("driver").Value is { } driver && t.Reader.Text(driver, path + ".driver") is { } text && text != "local")
                t.Unsupported(driver, path + ".driver", $"{YamlScalars.Quote(text)}: only the local driver (a Docker volume on each node) is supported");
        }
    }

    public static void Translate(YamlNode node, string path, string service, ComposeProject project, ServiceMounts mounts, Translator t)
    {
        if (t.Reader.List(node, path, "volumes, like [\"data:/var/lib/data\"]") is not { } list
            || !t.Reader.AtMost(list, path, list.Children.Count, ManifestLimits.MaxVolumeMounts, "volumes")) return;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            var itemPath = FieldPath.Index(path, i);
            if (item is YamlMappingNode) Long(item, itemPath, service, project, mounts, t);
            else Short(item, itemPath, service, project, mounts, t);
        }
    }

    /// <summary>"NAME:/path[:ro]", "/path" (anonymous), or a bind "./src:/path" (refused).</summary>
    private static void Short(YamlNode node, string path, string service, ComposeProject project, ServiceMounts mounts, Translator t)
    {
        if (t.Reader.Text(node, path) is not { } text) return;
        var parts = text.Split(':');
        if (parts.Length == 1)
        {
            Anonymous(node, parts[0], readOnly: false, medium: null, mounts, t);
            return;
        }
        if (parts.Length > 3 || parts.Length == 3 && parts[2] is not ("ro" or "rw"))
        {
            t.Unsupported(node, path, $"{YamlScalars.Quote(text)}: write NAME:/path, NAME:/path:ro or NAME:/path:rw");
            return;
        }
        if (IsPath(parts[0]))
        {
            t.Refuse(node, path, $"{YamlScalars.Quote(text)}: {BindRefused}");
            return;
        }
        Named(node, path, parts[0], parts[1], parts.Length == 3 && parts[2] == "ro", service, project, mounts, t);
    }

    private static void Long(YamlNode node, string path, string service, ComposeProject project, ServiceMounts mounts, Translator t)
    {
        if (t.Keys(node, path, MountKeys) is not { } f) return;
        var type = f.GetValueOrDefault("type").Value is { } typeNode ? t.Reader.Word(typeNode, FieldPath.Field(path, "type"), ["volume", "bind", "tmpfs"]) : "volume";
        if (type is null) return;
        if (type == "bind")
        {
            t.Refuse(f["type"].Value, FieldPath.Field(path, "type"), BindRefused);
            return;
        }
        if (f.GetValueOrDefault("target").Value is not { } targetNode || t.Reader.Text(targetNode, FieldPath.Field(path, "target")) is not { } target)
        {
            if (!f.ContainsKey("target")) t.Reader.Error(node, FieldPath.Field(path, "target"), "required: the path in the container");
            return;
        }
        var readOnly = f.GetValueOrDefault("read_only").Value is { } ro && t.Reader.Bool(ro, FieldPath.Field(path, "read_only")) == true;
        var source = f.GetValueOrDefault("source").Value is { } sourceNode ? t.Reader.Text(sourceNode, FieldPath.Field(path, "source")) : null;
        if (type == "tmpfs" || source is null) Anonymous(targetNode, target, readOnly, type == "tmpfs" ? EmptyDirVolumeSource.MemoryMedium : null, mounts, t);
        else if (IsPath(source)) t.Refuse(f["source"].Value, FieldPath.Field(path, "source"), $"{YamlScalars.Quote(source)}: {BindRefused}");
        else Named(f["source"].Value, FieldPath.Field(path, "source"), source, target, readOnly, service, project, mounts, t);
    }

    private static bool IsPath(string source) => source.StartsWith('/') || source.StartsWith('.') || source.StartsWith('~');

    private static void Named(YamlNode node, string path, string name, string target, bool readOnly, string service, ComposeProject project, ServiceMounts mounts, Translator t)
    {
        if (!project.Volumes.Contains(name))
        {
            t.Reader.Error(node, path, $"there is no top-level volume {YamlScalars.Quote(name)}: declare it under volumes (as Compose does)");
            return;
        }
        if (project.VolumeUsers.TryGetValue(name, out var other) && other != service)
        {
            t.Unsupported(node, path, $"volume {YamlScalars.Quote(name)} is mounted by service {other} too: a volume here belongs to one service, so they would not share it");
            return;
        }
        project.VolumeUsers[name] = service;
        var volume = name.Replace('_', '-');
        mounts.Volume(volume, node, t.Map(node).With("name", t.Text(volume, node)).With(VolumeKinds.Shared, t.Map(node)));
        mounts.Mount(volume, target, readOnly, node, t);
    }

    private static void Anonymous(YamlNode node, string target, bool readOnly, string? medium, ServiceMounts mounts, Translator t)
    {
        var volume = $"anonymous-{mounts.Count + 1}";
        var emptyDir = t.Map(node).With("medium", medium is null ? null : t.Text(medium, node));
        mounts.Volume(volume, node, t.Map(node).With("name", t.Text(volume, node)).With(VolumeKinds.EmptyDir, emptyDir));
        mounts.Mount(volume, target, readOnly, node, t);
    }
}

/// <summary>The spec.volumes and spec.volumeMounts one Compose service's volumes, secrets and configs make.</summary>
internal sealed class ServiceMounts(YamlNode service, Translator t)
{
    private readonly YamlSequenceNode volumes = t.List(service);
    private readonly YamlSequenceNode mounts = t.List(service);
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public int Count => volumes.Children.Count;

    /// <summary>Adds the volume unless one of that name is there (a named volume mounted twice is one volume).</summary>
    public void Volume(string name, YamlNode origin, YamlMappingNode volume)
    {
        if (names.Add(name)) volumes.Add(volume);
    }

    public void Mount(string name, string path, bool readOnly, YamlNode origin, Translator t) =>
        mounts.Add(t.Map(origin).With("name", t.Text(name, origin)).With("mountPath", t.Text(path, origin)).With("readOnly", readOnly ? new YamlScalarNode("true") : null));

    public void AddTo(YamlMappingNode spec)
    {
        if (volumes.Children.Count == 0) return;
        spec.With("volumes", volumes).With("volumeMounts", mounts);
    }
}
