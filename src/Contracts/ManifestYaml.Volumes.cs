namespace Orchestrator.Contracts;

/// <summary>spec.volumes and spec.volumeMounts in manifest form; only what is set is written.</summary>
public static partial class ManifestYaml
{
    private static void Volumes(YamlWriter yaml, ServiceSpec spec)
    {
        if (spec.Volumes is { Count: > 0 } volumes)
            yaml.Sequence("volumes", volumes, v =>
            {
                yaml.Field("name", v.Name);
                if (v.Persistent is { } p) yaml.Mapping(VolumeKinds.Persistent, () => Reclaim(yaml, p.ReclaimPolicy));
                if (v.Shared is { } s) yaml.Mapping(VolumeKinds.Shared, () => Reclaim(yaml, s.ReclaimPolicy));
                if (v.EmptyDir is { } e) yaml.Mapping(VolumeKinds.EmptyDir, () =>
                {
                    if (e.Medium is { } medium) yaml.Field("medium", medium);
                });
            });
        if (spec.VolumeMounts is { Count: > 0 } mounts)
            yaml.Sequence("volumeMounts", mounts, m =>
            {
                yaml.Field("name", m.Name);
                yaml.Field("mountPath", m.MountPath);
                if (m.ReadOnly) yaml.Field("readOnly", true);
            });
    }

    private static void Reclaim(YamlWriter yaml, VolumeReclaimPolicy? policy)
    {
        if (policy is { } p) yaml.Field("reclaimPolicy", p.ToString());
    }
}
