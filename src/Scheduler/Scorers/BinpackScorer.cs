using Orchestrator.Contracts;

namespace Orchestrator.Scheduler.Scorers;

/// <summary>
/// Binpack strategy (Kubernetes' MostAllocated, Nomad's default): prefer the node that is fullest after this replica
/// lands, so that busy machines fill up and whole machines stay free for big replicas or for scaling in.
/// Exactly the complement of <see cref="LeastAllocatedScorer"/>, which it replaces when spec.placement.strategy is binpack.
/// </summary>
public sealed class BinpackScorer(int weight = 1) : IScorer
{
    public const string ScorerName = "binpack";

    public string Name => ScorerName;

    public int Weight { get; } = weight;

    public bool IsActive(PlacementContext ctx) => ctx.Placement.Strategy == PlacementStrategy.Binpack;

    public double Score(PlacementContext ctx, NodeCandidate node) => 1 - LeastAllocatedScorer.FreeAfter(ctx, node);
}
