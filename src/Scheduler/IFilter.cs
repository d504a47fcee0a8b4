namespace Orchestrator.Scheduler;

/// <summary>
/// Feasibility: may this replica go on this node at all? Runs once per node per slot, so it must be cheap,
/// allocation-free on success and stateless (one <see cref="Placer"/> serves concurrent calls on different states).
/// </summary>
public interface IFilter
{
    /// <summary>Short constant that names the plugin, e.g. "resource fit".</summary>
    string Name { get; }

    /// <summary>False when the request gives the filter nothing to check (no selector, no maxPerNode): the placer then skips it.</summary>
    bool IsActive(PlacementContext ctx) => true;

    FilterStatus Filter(PlacementContext ctx, NodeCandidate node);
}
