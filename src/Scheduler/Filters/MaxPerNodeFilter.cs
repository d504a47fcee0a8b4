namespace Orchestrator.Scheduler.Filters;

/// <summary>At most spec.placement.maxPerNode replicas of the service on one node (Nomad's distinct_hosts, generalised).</summary>
public sealed class MaxPerNodeFilter : IFilter
{
    public const string FilterName = "max per node";

    public string Name => FilterName;

    public bool IsActive(PlacementContext ctx) => ctx.Placement.MaxPerNode is not null;

    // Unschedulable: stopping one of the service's replicas there makes room.
    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node) =>
        ctx.Placement.MaxPerNode is int max && ctx.ServiceReplicasOn(node) >= max
            ? FilterStatus.Unschedulable(Reasons.MaxPerNodeReached)
            : FilterStatus.Success;
}
