namespace Orchestrator.Contracts;

/// <summary>spec.volumes[].secret: a Secret of the service's namespace as files (<see cref="VolumeSpec.Secret"/>).</summary>
public sealed record SecretVolumeSource
{
    public string SecretName { get; init; } = "";
    public bool Optional { get; init; }
    /// <summary>Only these keys, each at its own relative path; null: every key at a file of its name.</summary>
    public List<KeyToPath>? Items { get; init; }
}

/// <summary>spec.volumes[].config: a Config of the service's namespace as files.</summary>
public sealed record ConfigVolumeSource
{
    public string Name { get; init; } = "";
    public bool Optional { get; init; }
    public List<KeyToPath>? Items { get; init; }
}

/// <summary>One of items: a key of the object at a relative path of the volume.</summary>
public sealed record KeyToPath
{
    public string Key { get; init; } = "";
    public string Path { get; init; } = "";
}

/// <summary>Where each volume of a container appears: the mounts written, and a secret volume no mount names at its default path.</summary>
public static class ContainerMounts
{
    public static IEnumerable<(VolumeSpec Volume, string Path, bool ReadOnly)> Of(IReadOnlyList<VolumeSpec>? volumes, IReadOnlyList<VolumeMount>? mounts)
    {
        var byName = (volumes ?? []).ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var m in mounts ?? [])
            if (byName.TryGetValue(m.Name, out var v)) yield return (v, m.MountPath, m.ReadOnly);
        var mounted = (mounts ?? []).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var v in volumes ?? [])
            if (!mounted.Contains(v.Name) && v.Secret is { } s) yield return (v, VolumeSpec.DefaultSecretPath(s.SecretName), true);
    }
}
