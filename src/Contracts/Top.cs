namespace Orchestrator.Contracts;

/// <summary>What one running container of the cluster uses right now, as the agent read it from the engine's stats.</summary>
public sealed record ContainerUsage
{
    public string ReplicaId { get; init; } = "";
    public string Namespace { get; init; } = ObjectKinds.DefaultNamespace;
    public string Service { get; init; } = "";
    public string ContainerId { get; init; } = "";
    /// <summary>Cpu in use, in thousandths of a core, over the engine's last sampling interval.</summary>
    public long MilliCpu { get; init; }
    /// <summary>Memory in use minus the page cache the kernel can drop (what `docker stats` shows).</summary>
    public long MemoryBytes { get; init; }
}

/// <summary>An agent's answer to GET /v1/stats: every running container of its cluster on its engine.</summary>
public sealed record NodeUsage
{
    public string Node { get; init; } = "";
    public List<ContainerUsage> Containers { get; init; } = new();
}

/// <summary>A node whose agent did not answer a top query; its numbers are missing, not zero.</summary>
public sealed record UnreachableNode
{
    public string Node { get; init; } = "";
    public string AgentUrl { get; init; } = "";
    public string Error { get; init; } = "";
}

/// <summary>One row of GET /api/v1/top/nodes: use against what the node offers.</summary>
public sealed record NodeTop
{
    public string Name { get; init; } = "";
    public NodeCapacity Allocatable { get; init; } = new();
    /// <summary>Null when the agent could not be asked (see <see cref="TopNodes.Unreachable"/>).</summary>
    public long? MilliCpu { get; init; }
    public long? MemoryBytes { get; init; }
    /// <summary>Running containers of the cluster on the node; null when unknown.</summary>
    public int? Replicas { get; init; }
}

public sealed record TopNodes
{
    public List<NodeTop> Nodes { get; init; } = new();
    public List<UnreachableNode> Unreachable { get; init; } = new();
}

/// <summary>One row of GET /api/v1/top/services: the sums over the service's running replicas that could be measured.</summary>
public sealed record ServiceTop
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public int Replicas { get; init; }
    public long MilliCpu { get; init; }
    public long MemoryBytes { get; init; }
}

public sealed record TopServices
{
    public List<ServiceTop> Services { get; init; } = new();
    /// <summary>Nodes whose replicas are not counted above.</summary>
    public List<UnreachableNode> Unreachable { get; init; } = new();
}

/// <summary>
/// GET /api/v1/containers: the cluster's running containers per node, as each agent reports them, filtered by namespace and
/// service. Unlike the replica list this outlives a deleted service, so `orc delete --wait` can see its containers stop.
/// </summary>
public sealed record RunningContainers
{
    public List<NodeUsage> Nodes { get; init; } = new();
    public List<UnreachableNode> Unreachable { get; init; } = new();
}
