using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>
/// One entry of spec.volumes: a name and exactly one kind. Each kind is a nullable member, so that other kinds
/// (persistent, shared, emptyDir) are added beside these without touching them.
/// </summary>
public sealed record VolumeSpec
{
    public string Name { get; init; } = "";
    /// <summary>The keys of a Secret as files, on tmpfs in the replica (default mount /run/secrets/SECRETNAME).</summary>
    public SecretVolumeSource? Secret { get; init; }
    /// <summary>The keys of a Config as files.</summary>
    public ConfigVolumeSource? Config { get; init; }

    /// <summary>The Secret or Config this volume is made of; null for a kind that holds no such data.</summary>
    [JsonIgnore] public (string Kind, string Name)? Data =>
        Secret is { } s ? (DataKinds.Secret, s.SecretName) : Config is { } c ? (DataKinds.Config, c.Name) : null;

    [JsonIgnore] public bool Optional => Secret?.Optional ?? Config?.Optional ?? false;

    /// <summary>Where a secret volume is mounted when no volumeMount names it (Docker Swarm's place for secrets).</summary>
    public static string DefaultSecretPath(string secretName) => $"/run/secrets/{secretName}";
}

public sealed record SecretVolumeSource
{
    public string SecretName { get; init; } = "";
    public bool Optional { get; init; }
    /// <summary>Only these keys, each at its own relative path; null: every key at a file of its name.</summary>
    public List<KeyToPath>? Items { get; init; }
}

public sealed record ConfigVolumeSource
{
    public string Name { get; init; } = "";
    public bool Optional { get; init; }
    public List<KeyToPath>? Items { get; init; }
}

public sealed record KeyToPath
{
    public string Key { get; init; } = "";
    public string Path { get; init; } = "";
}

/// <summary>spec.volumeMounts[]: where a volume of spec.volumes appears in the container.</summary>
public sealed record VolumeMount
{
    public string Name { get; init; } = "";
    public string MountPath { get; init; } = "";
    public bool ReadOnly { get; init; }
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
