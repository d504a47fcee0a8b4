namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>
/// What the agent itself knows about a replica beyond the engine: how often it restarted it (Docker's own
/// RestartCount only counts engine restart policies, which the agent does not use) and why its last
/// create or start failed. Kept in memory for the life of the process: an agent restart starts the count,
/// and so an on-failure policy's maxAttempts, afresh (docs/health.md).
/// </summary>
public sealed record ReplicaRecord(int RestartCount, string? Failure)
{
    /// <summary>
    /// Set while a restart waits for its back-off (the replica is in CrashLoopBackOff until then), and while a failed
    /// create or start waits for its retry.
    /// </summary>
    public DateTimeOffset? NextRestartAt { get; init; }

    /// <summary>Why the agent itself stopped the container last ("liveness probe failed 3 times: HTTP 500").</summary>
    public string? StopReason { get; init; }

    /// <summary>The <see cref="Contracts.ReplicaReasons"/> word of <see cref="Failure"/>: set from a failed create or start until one succeeds.</summary>
    public string? FailureReason { get; init; }
}
