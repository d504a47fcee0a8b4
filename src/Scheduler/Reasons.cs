namespace Orchestrator.Scheduler;

/// <summary>
/// Why a filter rejected a node. Constants, so that explanations aggregate ("3 insufficient memory")
/// and callers can match on them instead of parsing prose.
/// </summary>
public static class Reasons
{
    public const string NodeNotReady = "node not ready";
    public const string NodeCordoned = "node cordoned";
    public const string InsufficientCpu = "insufficient cpu";
    public const string InsufficientMemory = "insufficient memory";
    /// <summary>Followed by the port that collides: "host port in use: 8080/tcp".</summary>
    public const string HostPortInUse = "host port in use";
    /// <summary>Followed by the port and the node: "host port in use by another program: 2379/tcp on vm" (the agent's report).</summary>
    public const string HostPortHeldByOtherProgram = "host port in use by another program";
    public const string NodeSelectorMismatch = "did not match node selector";
    public const string ConstraintsMismatch = "did not match constraints";
    /// <summary>Followed by the taint: "had untolerated taint dedicated=gpu".</summary>
    public const string UntoleratedTaint = "had untolerated taint";
    public const string MaxPerNodeReached = "reached maxPerNode";
    public const string AffinityMismatch = "did not match affinity";
    public const string AntiAffinityConflict = "conflicted with anti-affinity";
    public const string TopologySpreadSkew = "would exceed topology spread skew";
    public const string MissingTopologyLabel = "missing topology spread label";
    /// <summary>The explanation when the snapshot holds no node at all.</summary>
    public const string NoNodesRegistered = "no nodes registered";
}
