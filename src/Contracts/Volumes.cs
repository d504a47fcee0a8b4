using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>
/// One entry of spec.volumes: a name and exactly one kind (Kubernetes' shape). Each kind is a nullable member, so a
/// new kind is one more member and one more line in <see cref="VolumesReader"/> (docs/volumes.md, docs/secrets.md).
/// </summary>
public sealed record VolumeSpec
{
    public string Name { get; init; } = "";
    /// <summary>One Docker named volume per replica slot, kept across replacements; the slot stays on its node.</summary>
    public PersistentVolumeSource? Persistent { get; init; }
    /// <summary>One Docker named volume per service and node, shared by the service's replicas there.</summary>
    public SharedVolumeSource? Shared { get; init; }
    /// <summary>Scratch that goes with the replica; tmpfs with medium Memory.</summary>
    public EmptyDirVolumeSource? EmptyDir { get; init; }
    /// <summary>The keys of a Secret as files, on tmpfs in the replica (default mount /run/secrets/SECRETNAME).</summary>
    public SecretVolumeSource? Secret { get; init; }
    /// <summary>The keys of a Config as files.</summary>
    public ConfigVolumeSource? Config { get; init; }

    /// <summary>The kind's manifest name ("persistent", "shared", "emptyDir", "secret", "config"); null for a kind this build does not know.</summary>
    [JsonIgnore]
    public string? Kind => Persistent is not null ? VolumeKinds.Persistent : Shared is not null ? VolumeKinds.Shared
        : EmptyDir is not null ? VolumeKinds.EmptyDir : Secret is not null ? VolumeKinds.Secret
        : Config is not null ? VolumeKinds.Config : null;

    /// <summary>The Secret or Config this volume is made of; null for a kind that holds no such data (the agent's other mounts).</summary>
    [JsonIgnore] public (string Kind, string Name)? Data =>
        Secret is { } s ? (DataKinds.Secret, s.SecretName) : Config is { } c ? (DataKinds.Config, c.Name) : null;

    /// <summary>A secret or config volume whose object (or a key of items) may be missing.</summary>
    [JsonIgnore] public bool Optional => Secret?.Optional ?? Config?.Optional ?? false;

    /// <summary>Where a secret volume is mounted when no volumeMount names it (Docker Swarm's place for secrets).</summary>
    public static string DefaultSecretPath(string secretName) => $"/run/secrets/{secretName}";

    /// <summary>What a service deletion does to the volume's data (persistent and shared only).</summary>
    [JsonIgnore]
    public VolumeReclaimPolicy ReclaimPolicy =>
        Persistent is not null ? Persistent.ReclaimPolicy ?? VolumeReclaimPolicy.Retain
        : Shared is not null ? Shared.ReclaimPolicy ?? VolumeReclaimPolicy.Retain
        : VolumeReclaimPolicy.Delete;

    /// <summary>The volume as a replica's container needs it: without the reclaim policy, so changing that restarts nothing.</summary>
    public VolumeSpec ForContainer() => this with
    {
        Persistent = Persistent is null ? null : new PersistentVolumeSource(),
        Shared = Shared is null ? null : new SharedVolumeSource(),
    };
}

public static class VolumeKinds
{
    public const string Persistent = "persistent";
    public const string Shared = "shared";
    public const string EmptyDir = "emptyDir";
    public const string Secret = "secret";
    public const string Config = "config";
}

/// <summary>Retain (default) keeps a deleted service's volumes and their data; Delete removes them with it.</summary>
public enum VolumeReclaimPolicy { Retain, Delete }

public sealed record PersistentVolumeSource
{
    /// <summary>Null means <see cref="VolumeReclaimPolicy.Retain"/>.</summary>
    public VolumeReclaimPolicy? ReclaimPolicy { get; init; }
}

public sealed record SharedVolumeSource
{
    /// <summary>Null means <see cref="VolumeReclaimPolicy.Retain"/>.</summary>
    public VolumeReclaimPolicy? ReclaimPolicy { get; init; }
}

public sealed record EmptyDirVolumeSource
{
    /// <summary>"Memory": a tmpfs; null: on the node's disk (an anonymous Docker volume removed with the container).</summary>
    public string? Medium { get; init; }

    public const string MemoryMedium = "Memory";
}

/// <summary>One entry of spec.volumeMounts: a volume of spec.volumes at a path in the container.</summary>
public sealed record VolumeMount
{
    public string Name { get; init; } = "";
    public string MountPath { get; init; } = "";
    public bool ReadOnly { get; init; }
}

/// <summary>
/// The names of the Docker volumes the agents make. Dots separate the parts: namespaces, services and volume names are
/// DNS-1123 labels (no dots), so no two (namespace, service, volume, slot) share a name, which dashes could not promise.
/// </summary>
public static class VolumeNames
{
    public const string Prefix = "orc.";

    /// <summary>orc.NAMESPACE.SERVICE.VOLUME.SLOT: the persistent volume of one slot.</summary>
    public static string Persistent(string ns, string service, string volume, int slot) =>
        $"{Prefix}{ns}.{service}.{volume}.{slot.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>orc.NAMESPACE.SERVICE.VOLUME.shared: the shared volume of one service on each node.</summary>
    public static string Shared(string ns, string service, string volume) => $"{Prefix}{ns}.{service}.{volume}.shared";
}
