namespace Orchestrator.Contracts;

/// <summary>GET /api/v1/overview: the whole cluster in one read, what the status page at /ui shows.</summary>
public sealed record ClusterOverview
{
    /// <summary>When the control plane computed it; heartbeat ages are relative to it.</summary>
    public DateTimeOffset Time { get; init; }
    /// <summary>Every node by name, each with the replicas assigned to it.</summary>
    public List<NodeOverview> Nodes { get; init; } = new();
    public List<ServiceView> Services { get; init; } = new();
    /// <summary>The newest events of every scope, oldest first.</summary>
    public List<ClusterEvent> Events { get; init; } = new();
}

/// <summary>One node, how much of it is taken, and what runs there.</summary>
public sealed record NodeOverview
{
    public NodeInfo Node { get; init; } = new();
    /// <summary>The cpu and memory the replicas assigned here request, as the scheduler counts them.</summary>
    public NodeCapacity Allocated { get; init; } = new();
    /// <summary>Seconds since the node's last heartbeat.</summary>
    public double HeartbeatAgeSeconds { get; init; }
    /// <summary>The replicas assigned to the node, by namespace, service and slot.</summary>
    public List<ReplicaView> Replicas { get; init; } = new();
}
