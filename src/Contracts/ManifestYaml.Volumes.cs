namespace Orchestrator.Contracts;

/// <summary>spec.env with valueFrom, spec.volumes and spec.volumeMounts in manifest form: only what is set, references never values.</summary>
public static partial class ManifestYaml
{
    /// <summary>The map form while every variable has a value; Kubernetes' list form once one comes from a Secret or Config.</summary>
    private static void Env(YamlWriter yaml, ServiceSpec spec)
    {
        if (spec.EnvRefs is not { Count: > 0 } refs)
        {
            yaml.Map("env", spec.Env);
            return;
        }
        var names = spec.Env.Keys.Concat(refs.Keys).Order(StringComparer.Ordinal);
        yaml.Sequence("env", names, name =>
        {
            yaml.Field("name", name);
            if (refs.TryGetValue(name, out var source))
                yaml.Mapping("valueFrom", () => yaml.Mapping(source.SecretKeyRef is not null ? "secretKeyRef" : "configKeyRef", () =>
                {
                    yaml.Field("name", source.Ref.Name);
                    yaml.Field("key", source.Ref.Key);
                    if (source.Ref.Optional) yaml.Field("optional", true);
                }));
            else yaml.Field("value", spec.Env[name]);
        });
    }

    private static void Volumes(YamlWriter yaml, ServiceSpec spec)
    {
        if (spec.Volumes is { Count: > 0 } volumes)
            yaml.Sequence("volumes", volumes, v =>
            {
                yaml.Field("name", v.Name);
                if (v.Persistent is { } p) yaml.Mapping(VolumeKinds.Persistent, () => Reclaim(yaml, p.ReclaimPolicy));
                if (v.Shared is { } sh) yaml.Mapping(VolumeKinds.Shared, () => Reclaim(yaml, sh.ReclaimPolicy));
                if (v.EmptyDir is { } e) yaml.Mapping(VolumeKinds.EmptyDir, () =>
                {
                    if (e.Medium is { } medium) yaml.Field("medium", medium);
                });
                if (v.Secret is { } s)
                    yaml.Mapping(VolumeKinds.Secret, () =>
                    {
                        yaml.Field("secretName", s.SecretName);
                        if (s.Optional) yaml.Field("optional", true);
                        Items(yaml, s.Items);
                    });
                if (v.Config is { } c)
                    yaml.Mapping(VolumeKinds.Config, () =>
                    {
                        yaml.Field("name", c.Name);
                        if (c.Optional) yaml.Field("optional", true);
                        Items(yaml, c.Items);
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

    private static void Items(YamlWriter yaml, List<KeyToPath>? items)
    {
        if (items is not null)
            yaml.Sequence("items", items, i =>
            {
                yaml.Field("key", i.Key);
                yaml.Field("path", i.Path);
            });
    }
}
