namespace Orchestrator.Contracts;

/// <summary>One manifest file as the CLI read it; the server parses and validates it so that errors keep file and line.</summary>
public sealed record ManifestFile
{
    public string Name { get; init; } = "";
    public string Content { get; init; } = "";
}

/// <summary>POST /api/v1/apply and POST /api/v1/delete.</summary>
public sealed record ApplyRequest
{
    public List<ManifestFile> Files { get; init; } = new();
    public bool DryRun { get; init; }
}

public static class ApplyActions
{
    public const string Created = "created";
    public const string Configured = "configured";
    public const string Unchanged = "unchanged";
    public const string Deleted = "deleted";
    public const string NotFound = "not found";
}

public sealed record ApplyResult
{
    public string Kind { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>One of <see cref="ApplyActions"/>.</summary>
    public string Action { get; init; } = "";
    public long Generation { get; init; }
    /// <summary>Dry run only: a unified diff of the stored manifest against the applied one; null when they are equal.</summary>
    public string? Diff { get; init; }
    /// <summary>Dry run only: what the apply would do, "scale 3 -> 5", "3 replicas will be replaced by a rolling update".</summary>
    public List<string>? Effects { get; init; }
}

public sealed record ApplyResponse
{
    public List<ApplyResult> Results { get; init; } = new();
    public bool DryRun { get; init; }
}

/// <summary>The body of every non-2xx answer of the API.</summary>
public sealed record ApiError
{
    public string Error { get; init; } = "";
    public List<ValidationError> Details { get; init; } = new();
}

/// <summary>PUT /api/v1/namespaces/{ns}/services/{name}/scale.</summary>
public sealed record ScaleRequest
{
    public int Replicas { get; init; }
}

/// <summary>Counts the control plane derives from replicas and their reported status.</summary>
public sealed record ServiceStatus
{
    public int Desired { get; init; }
    public int Assigned { get; init; }
    public int Running { get; init; }
    /// <summary>Running and passing their readiness probe (running is ready when there is no probe).</summary>
    public int Ready { get; init; }
    public int Pending { get; init; }
    /// <summary>Why replicas are unplaced, e.g. "0/3 nodes available: 3 insufficient memory".</summary>
    public string? PendingReason { get; init; }
    /// <summary>
    /// What keeps the service from running all its replicas, in one line: the pending reason, else the first problem of a
    /// replica ("ImageNotFound: local/nope:1 is not on node vm"); null when nothing is wrong.
    /// </summary>
    public string? Reason { get; init; }
    /// <summary>Why the control plane cannot reconcile the service (it goes on with the others); null when it can.</summary>
    public string? StuckReason { get; init; }
}

public sealed record ServiceView
{
    public ServiceObject Service { get; init; } = new();
    public ServiceStatus Status { get; init; } = new();
    /// <summary>Where the service's latest rollout stands (docs/rollouts.md).</summary>
    public RolloutStatus? Rollout { get; init; }
}

/// <summary>GET /api/v1/namespaces/{ns}/services/{name}: what `orc describe` shows.</summary>
public sealed record ServiceDetail
{
    public ServiceObject Service { get; init; } = new();
    public ServiceStatus Status { get; init; } = new();
    public List<ReplicaView> Replicas { get; init; } = new();
    public List<ClusterEvent> Events { get; init; } = new();
    /// <summary>Where the service's latest rollout stands; null before the control plane first looked at it.</summary>
    public RolloutStatus? Rollout { get; init; }
}

/// <summary>The answer to an undo: the new revision and the one whose spec it copies.</summary>
public sealed record UndoResponse
{
    public long Revision { get; init; }
    public long ToRevision { get; init; }
}

/// <summary>Something that happened to an object (Kubernetes' Event), kept for a while in etcd.</summary>
public sealed record ClusterEvent
{
    public DateTimeOffset Time { get; init; }
    /// <summary>"Normal" or "Warning".</summary>
    public string Type { get; init; } = "Normal";
    /// <summary>A short CamelCase word: Scheduled, FailedScheduling, Started, Stopped, Replaced ...</summary>
    public string Reason { get; init; } = "";
    /// <summary>"Service/default/web", "Node/n1", "Replica/default/web/abc".</summary>
    public string Object { get; init; } = "";
    public string Message { get; init; } = "";
    public string? Source { get; init; }
}

/// <summary>GET /api/v1/version: the control plane's build, which `orc version` shows beside its own.</summary>
public sealed record ServerVersion
{
    public string Version { get; init; } = "";

    /// <summary>The informational version (it carries the commit when the build sets SourceRevisionId).</summary>
    public static string Of(System.Reflection.Assembly assembly) =>
        System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}

/// <summary>
/// One line of GET /api/v1/watch/services and /api/v1/watch/replicas (NDJSON): first a "sync" with every object that
/// matches, then a "changed" with the objects whose view changed (a scale, a replica starting, a probe) and a "deleted"
/// with the keys ("ns/name", "ns/service/id") of those gone, as etcd's watch reports them.
/// </summary>
public sealed record ObjectWatchEvent
{
    public const string Sync = "sync";
    public const string Changed = "changed";
    public const string Deleted = "deleted";

    public string Type { get; init; } = Sync;
    public long Revision { get; init; }
    public List<ServiceView> Services { get; init; } = new();
    public List<ReplicaView> Replicas { get; init; } = new();
    public List<string> Gone { get; init; } = new();
}

/// <summary>The kinds GET /api/v1/watch/{kind} streams.</summary>
public static class ObjectWatchKinds
{
    public const string Services = "services";
    public const string Replicas = "replicas";
}
