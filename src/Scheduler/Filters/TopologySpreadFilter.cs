namespace Orchestrator.Scheduler.Filters;

/// <summary>
/// Kubernetes' topology spread with whenUnsatisfiable: DoNotSchedule. Placing here must leave the node's domain at most
/// maxSkew above the emptiest eligible domain (one with a node that is ready, uncordoned, matches the selector and
/// constraints and has no untolerated taint: a domain nobody can use must not pin the minimum at 0).
/// A node without the topology label is rejected, since its replicas could not be counted in any domain.
/// </summary>
public sealed class TopologySpreadFilter : IFilter
{
    public const string FilterName = "topology spread";

    public string Name => FilterName;

    public bool IsActive(PlacementContext ctx) => ctx.Spread.Length > 0;

    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node)
    {
        foreach (var spread in ctx.Spread)
        {
            var count = spread.CountAt(node);
            if (count < 0) return FilterStatus.Unresolvable(Reasons.MissingTopologyLabel);
            if (count + 1 - spread.Min > spread.Constraint.MaxSkew) return FilterStatus.Unschedulable(Reasons.TopologySpreadSkew);
        }
        return FilterStatus.Success;
    }
}
