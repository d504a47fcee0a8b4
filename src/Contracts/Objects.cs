using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>Identity and bookkeeping shared by every stored object (Kubernetes' ObjectMeta).</summary>
public sealed record ObjectMeta
{
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = ObjectKinds.DefaultNamespace;
    public Dictionary<string, string> Labels { get; init; } = new();
    /// <summary>Bumped by the control plane on every change of the spec; 0 until stored.</summary>
    public long Generation { get; init; }
    /// <summary>etcd mod revision of the stored object; 0 until stored.</summary>
    public long ResourceVersion { get; init; }
    public string? Uid { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>The number of the service's current revision (<see cref="ServiceRevision"/>); set by the control plane.</summary>
    public long Revision { get; init; }
}

public static class ObjectKinds
{
    public const string ApiVersion = "orchestrator/v1";
    public const string Service = "Service";
    public const string Secret = "Secret";
    public const string Config = "Config";
    public const string DefaultNamespace = "default";
    public static readonly IReadOnlyList<string> All = [Service, Secret, Config];
}

/// <summary>A replicated container: the one kind the foundation knows.</summary>
public sealed record ServiceObject
{
    public string ApiVersion { get; init; } = ObjectKinds.ApiVersion;
    public string Kind { get; init; } = ObjectKinds.Service;
    public ObjectMeta Metadata { get; init; } = new();
    public ServiceSpec Spec { get; init; } = new();

    [JsonIgnore] public string Key => $"{Metadata.Namespace}/{Metadata.Name}";
}

public sealed record ServiceSpec
{
    public string Image { get; init; } = "";
    /// <summary>Replaces the image's entrypoint when set.</summary>
    public List<string>? Command { get; init; }
    /// <summary>Replaces the image's cmd when set.</summary>
    public List<string>? Args { get; init; }
    public Dictionary<string, string> Env { get; init; } = new();
    public int Replicas { get; init; } = 1;
    public ResourceSpec Resources { get; init; } = new();
    public List<PortSpec> Ports { get; init; } = new();
    /// <summary>Null means <see cref="Contracts.RestartPolicy.Default"/>; null also keeps the spec hash of services written before it existed.</summary>
    public RestartPolicy? RestartPolicy { get; init; }
    public Probe? LivenessProbe { get; init; }
    public Probe? ReadinessProbe { get; init; }
    public PlacementSpec? Placement { get; init; }
    /// <summary>How a change of the rest of the spec replaces running replicas; null means <see cref="Contracts.UpdateStrategy.Default"/>.</summary>
    public UpdateStrategy? UpdateStrategy { get; init; }
    /// <summary>How long a stopping container has between its stop signal and SIGKILL, like "10s"; null means 10s.</summary>
    public string? StopGracePeriod { get; init; }
    /// <summary>The signal that asks a container to stop, like "SIGTERM" or "SIGINT"; null means the image's STOPSIGNAL.</summary>
    public string? StopSignal { get; init; }
    /// <summary>User, capabilities, read-only root, privilege escalation (docs/security.md); null keeps the agent's safe defaults.</summary>
    public SecurityContext? SecurityContext { get; init; }
    /// <summary>The container's hostname (its own UTS namespace); null means the engine's default (the container id).</summary>
    public string? Hostname { get; init; }
    /// <summary>Variables whose values come from a Secret's or Config's key (env[].valueFrom); null when none.</summary>
    public Dictionary<string, EnvSource>? EnvRefs { get; init; }
    /// <summary>spec.volumes (docs/volumes.md); null when none, which keeps the hash of services written before it existed.</summary>
    public List<VolumeSpec>? Volumes { get; init; }
    /// <summary>spec.volumeMounts: where the container sees which volume; null when none.</summary>
    public List<VolumeMount>? VolumeMounts { get; init; }
    /// <summary>
    /// Set by the control plane, never by a manifest: "secret/db" -> the version of that object the spec was last rolled
    /// out with (uid.generation). A changed secret or config changes this, which is a new revision and a rollout.
    /// </summary>
    public Dictionary<string, string>? DataVersions { get; init; }

    [JsonIgnore] public UpdateStrategy Update => UpdateStrategy ?? Contracts.UpdateStrategy.Default;
}

/// <summary>
/// Requests used for placement; the same values are handed to the runtime as limits.
/// Stored in canonical form (cpu "250m" or "2", memory "64Mi"); see <see cref="Units"/>.
/// </summary>
public sealed record ResourceSpec
{
    public string? Cpu { get; init; }
    public string? Memory { get; init; }
    /// <summary>Most processes and threads the container may have at once; null means <see cref="DefaultPids"/>.</summary>
    public long? Pids { get; init; }

    /// <summary>Enough for any service, few enough that a fork bomb stays inside its container.</summary>
    public const long DefaultPids = 1024;

    [JsonIgnore] public long MilliCpu => Cpu is null ? 0 : Units.ParseCpuMillis(Cpu);
    [JsonIgnore] public long MemoryBytes => Memory is null ? 0 : Units.ParseMemoryBytes(Memory);
}

public sealed record PortSpec
{
    public int ContainerPort { get; init; }
    /// <summary>Fixed port on the node; when null the engine picks a free one (Nomad's dynamic port).</summary>
    public int? HostPort { get; init; }
    public string Protocol { get; init; } = "tcp";
    public string? Name { get; init; }
    /// <summary>Opened on every node of the cluster and balanced to the service's ready replicas (Swarm's routing mesh, NodePort).</summary>
    public int? PublishedPort { get; init; }
}
