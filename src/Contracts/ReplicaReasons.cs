namespace Orchestrator.Contracts;

/// <summary>
/// Why a replica's container could not be created or started, as a short CamelCase word (<see cref="ReplicaStatus.Reason"/>),
/// like Kubernetes' waiting reasons. The agent retries such a replica with back-off; the message says what to do.
/// </summary>
public static class ReplicaReasons
{
    /// <summary>The image is not on the node: once it is built or pulled there, the next retry starts the replica.</summary>
    public const string ImageNotFound = "ImageNotFound";
    /// <summary>A fixed host port of the replica is held by something else on the node.</summary>
    public const string PortInUse = "PortInUse";
    /// <summary>Any other refusal of the engine, with its message cleaned of JSON and line breaks.</summary>
    public const string CreateFailed = "CreateFailed";

    /// <summary>
    /// "ImageNotFound: local/nope:1 is not on node vm", "CrashLoopBackOff: exited with code 1 ...", "Failed: ...": what keeps
    /// a replica from running, in one line; null for a replica that runs, or that nobody has reported on yet.
    /// </summary>
    public static string? Problem(ReplicaStatus? status)
    {
        if (status is null) return null;
        if (status.Reason is { } reason) return $"{reason}: {status.Message}";
        return status.State is ReplicaState.Failed or ReplicaState.CrashLoopBackOff
            || status.State == ReplicaState.Exited && status.ExitCode is not (null or 0)
            ? status.Message is { Length: > 0 } m ? $"{status.State}: {m}" : status.State.ToString()
            : null;
    }
}
