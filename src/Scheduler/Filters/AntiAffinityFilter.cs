namespace Orchestrator.Scheduler.Filters;

/// <summary>
/// No required anti-affinity term may find a matching replica in the node's domain; a node without the topology label
/// is in no domain and so conflicts with nothing. Only the requested service's own terms are checked: the terms of
/// replicas already running are not (Kubernetes checks both ways).
/// </summary>
public sealed class AntiAffinityFilter : IFilter
{
    public const string FilterName = "anti-affinity";

    public string Name => FilterName;

    public bool IsActive(PlacementContext ctx) => ctx.RequiredAntiAffinity.Length > 0;

    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node)
    {
        foreach (var term in ctx.RequiredAntiAffinity)
            if (term.CountAt(node) > 0) return FilterStatus.Unschedulable(Reasons.AntiAffinityConflict);
        return FilterStatus.Success;
    }
}
