using System.Text.Json.Serialization;

namespace Orchestrator.Contracts;

/// <summary>What the agent needs to run one replica; derived from a <see cref="ServiceSpec"/>.</summary>
public sealed record ContainerSpec
{
    public string Image { get; init; } = "";
    public List<string>? Command { get; init; }
    public List<string>? Args { get; init; }
    public Dictionary<string, string> Env { get; init; } = new();
    public long MilliCpu { get; init; }
    public long MemoryBytes { get; init; }
    public List<PortSpec> Ports { get; init; } = new();
    public RestartPolicy? RestartPolicy { get; init; }
    public Probe? LivenessProbe { get; init; }
    public Probe? ReadinessProbe { get; init; }
    public string? StopGracePeriod { get; init; }
    public string? StopSignal { get; init; }
    public SecurityContext? SecurityContext { get; init; }
    public string? Hostname { get; init; }
    /// <summary>Null means <see cref="ResourceSpec.DefaultPids"/>; null also keeps the hash of replicas made before it existed.</summary>
    public long? Pids { get; init; }
    /// <summary>References only: the agent fetches the values for this node when it creates the container.</summary>
    public Dictionary<string, EnvSource>? EnvRefs { get; init; }
    /// <summary>The service's volumes without their reclaim policy; null when none (the hash of older replicas stays).</summary>
    public List<VolumeSpec>? Volumes { get; init; }
    public List<VolumeMount>? VolumeMounts { get; init; }
    /// <summary>The versions of the secrets and configs used, so that a changed one changes the hash and replaces the replica.</summary>
    public Dictionary<string, string>? DataVersions { get; init; }

    /// <summary>The engine's own default; the stop signal, when not set, is the image's STOPSIGNAL (SIGTERM unless it says otherwise).</summary>
    public const string DefaultStopGracePeriod = "10s";

    [JsonIgnore] public TimeSpan StopGraceTime => Durations.Parse(StopGracePeriod ?? DefaultStopGracePeriod);

    public static ContainerSpec From(ServiceSpec spec) => new()
    {
        Image = spec.Image,
        Command = spec.Command,
        Args = spec.Args,
        Env = new Dictionary<string, string>(spec.Env),
        MilliCpu = spec.Resources.MilliCpu,
        MemoryBytes = spec.Resources.MemoryBytes,
        Ports = spec.Ports.ToList(),
        RestartPolicy = spec.RestartPolicy,
        LivenessProbe = spec.LivenessProbe,
        ReadinessProbe = spec.ReadinessProbe,
        StopGracePeriod = spec.StopGracePeriod,
        StopSignal = spec.StopSignal,
        SecurityContext = spec.SecurityContext,
        Hostname = spec.Hostname,
        Pids = spec.Resources.Pids,
        EnvRefs = spec.EnvRefs,
        Volumes = spec.Volumes?.Select(v => v.ForContainer()).ToList(),
        VolumeMounts = spec.VolumeMounts?.ToList(),
        DataVersions = spec.DataVersions,
    };

    /// <summary>Stable short hash of the canonical JSON; a replica whose hash differs from its container's must be recreated.</summary>
    public string Hash() => Json.Hash(this);
}

/// <summary>
/// One placed copy of a service: the assignment of a container to a node
/// (stored at /orchestrator/replicas/{ns}/{service}/{id}).
/// </summary>
public sealed record Replica
{
    public string Id { get; init; } = "";
    public string Namespace { get; init; } = ObjectKinds.DefaultNamespace;
    public string Service { get; init; } = "";
    /// <summary>The service's metadata.labels, so that affinity rules of other services can match this replica.</summary>
    public Dictionary<string, string> Labels { get; init; } = new();
    /// <summary>1-based position in the service (web.1, web.2 ...); a replacement keeps its slot.</summary>
    public int Slot { get; init; }
    public string Node { get; init; } = "";
    /// <summary>Service generation this replica was created for.</summary>
    public long Generation { get; init; }
    public ContainerSpec Container { get; init; } = new();
    public string SpecHash { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Why the scheduler chose this node, for `orc describe`.</summary>
    public string? PlacementReason { get; init; }
    /// <summary>W3C traceparent of the apply that created this replica.</summary>
    public string? TraceParent { get; init; }
    /// <summary>
    /// Set when the replica is being replaced by a rollout: the agent takes it out of service (not ready), stops it with
    /// its stop signal and grace period, and reports it Removed; only then is the record deleted, so that a stopping
    /// replica still counts against the rollout's surge budget.
    /// </summary>
    public bool Terminating { get; init; }
    public DateTimeOffset? TerminatingSince { get; init; }
    public string? TerminationReason { get; init; }
    public long ResourceVersion { get; init; }

    [JsonIgnore] public string ServiceKey => $"{Namespace}/{Service}";
    [JsonIgnore] public string ContainerName => $"{Service}.{Slot}.{Id}";
}

/// <summary>CrashLoopBackOff: exited, and the agent waits for the back-off before it starts it again (see NextRestartAt).</summary>
/// <summary>Terminating: still running while it stops (stop signal, then the grace period); Removed: a terminating replica whose container is gone.</summary>
public enum ReplicaState { Pending, Creating, Running, Exited, Failed, Removed, CrashLoopBackOff, Terminating }

public sealed record PortBinding
{
    public int ContainerPort { get; init; }
    public int HostPort { get; init; }
    public string HostIp { get; init; } = "";
    public string Protocol { get; init; } = "tcp";
}

/// <summary>What the agent really sees in its engine for one replica.</summary>
public sealed record ReplicaStatus
{
    public string ReplicaId { get; init; } = "";
    public string Namespace { get; init; } = ObjectKinds.DefaultNamespace;
    public string Service { get; init; } = "";
    public string Node { get; init; } = "";
    public ReplicaState State { get; init; }
    public string? ContainerId { get; init; }
    public int? ExitCode { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public int RestartCount { get; init; }
    public string? Message { get; init; }
    public List<PortBinding> Ports { get; init; } = new();
    public DateTimeOffset ObservedAt { get; init; }
    /// <summary>Running and, with a readiness probe, passing it (docs/health.md).</summary>
    public bool Ready { get; init; }
    /// <summary>
    /// Set in CrashLoopBackOff, and for a replica whose container could not be created or started (<see cref="Reason"/>):
    /// when the agent tries again.
    /// </summary>
    public DateTimeOffset? NextRestartAt { get; init; }
    /// <summary>Why the container could not be created or started (<see cref="ReplicaReasons"/>); null otherwise. <see cref="Message"/> says more.</summary>
    public string? Reason { get; init; }
    /// <summary>The latest probe outcome, like "readiness: HTTP 200" or "liveness: exit code 1".</summary>
    public string? LastProbe { get; init; }
    /// <summary>Since when the replica has been ready without a break (for minReadySeconds).</summary>
    public DateTimeOffset? ReadySince { get; init; }
    /// <summary>Consecutive failures of the readiness probe of the current container run.</summary>
    public int ReadinessFailures { get; init; }
    /// <summary>The container's IP: on the cluster network, its node's subnet (docs/networking.md); null before it runs.</summary>
    public string? Ip { get; init; }
}

/// <summary>An agent's report of everything it runs (POST /api/v1/nodes/{name}/status).</summary>
public sealed record NodeStatusReport
{
    public string AgentSession { get; init; } = "";
    public List<ReplicaStatus> Replicas { get; init; } = new();
}

/// <summary>A replica joined with its last reported status, as the API lists them.</summary>
public sealed record ReplicaView
{
    public Replica Replica { get; init; } = new();
    public ReplicaStatus? Status { get; init; }
}
