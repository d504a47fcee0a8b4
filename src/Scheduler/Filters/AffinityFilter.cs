namespace Orchestrator.Scheduler.Filters;

/// <summary>
/// Every required affinity term must find a matching replica in the node's domain; a node without the topology label is
/// in no domain and fails. As in Kubernetes, when nothing anywhere matches yet and the service matches its own selector,
/// the first replica may go anywhere, or a self-affine group could never start.
/// </summary>
public sealed class AffinityFilter : IFilter
{
    public const string FilterName = "affinity";

    public string Name => FilterName;

    public bool IsActive(PlacementContext ctx) => ctx.RequiredAffinity.Length > 0;

    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node)
    {
        foreach (var term in ctx.RequiredAffinity)
        {
            if (!term.InDomain(node)) return FilterStatus.Unschedulable(Reasons.AffinityMismatch);
            if (term.CountAt(node) == 0 && !(term.Total == 0 && term.SelfMatch)) return FilterStatus.Unschedulable(Reasons.AffinityMismatch);
        }
        return FilterStatus.Success;
    }
}
