namespace Orchestrator.Contracts;

public enum AssignmentEventType
{
    /// <summary>The complete set of replicas assigned to the node as of <see cref="AssignmentEvent.Revision"/>.</summary>
    Sync,
    /// <summary>A replica was assigned to the node, or its assignment changed.</summary>
    Put,
    /// <summary>A replica is no longer assigned to the node: stop and remove it.</summary>
    Delete,
    /// <summary>Nothing changed up to <see cref="AssignmentEvent.Revision"/>; sent to keep the stream alive and resumable.</summary>
    Bookmark,
    /// <summary>The requested revision was compacted away: the agent must reconnect without a revision (relist).</summary>
    Expired,
}

/// <summary>
/// One line of the assignment stream (GET /api/v1/nodes/{name}/assignments?resourceVersion=R), newline-delimited JSON.
/// Without a revision the stream starts with a <see cref="AssignmentEventType.Sync"/>; with one it resumes after it.
/// </summary>
public sealed record AssignmentEvent
{
    public AssignmentEventType Type { get; init; }
    public long Revision { get; init; }
    public Replica? Replica { get; init; }
    public string? ReplicaId { get; init; }
    public List<Replica>? Replicas { get; init; }
}
