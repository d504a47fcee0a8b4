namespace Orchestrator.Scheduler;

/// <summary>
/// Feasibility: may this replica go on this node at all? Runs once per node per slot, so it must be cheap,
/// allocation-free on success and stateless (one <see cref="Placer"/> serves concurrent calls).
/// </summary>
public interface IFilter
{
    /// <summary>Short constant that names the plugin, e.g. "resource fit".</summary>
    string Name { get; }

    FilterStatus Filter(PlacementContext ctx, NodeCandidate node);
}
