using Orchestrator.Contracts;

namespace Orchestrator.Scheduler.Scorers;

/// <summary>
/// Prefer the node with fewer replicas of the same service, so that losing one machine loses as few of them
/// as possible: 3 replicas on 3 nodes land 1/1/1. Normalised against the busiest node (as Kubernetes'
/// selector spread does): a node with none scores 1, the busiest 0, so the signal stays strong at any scale.
/// Off for binpack, whose point is to put replicas together; maxPerNode and anti-affinity still limit it.
/// </summary>
public sealed class ServiceSpreadScorer(int weight = 2) : IScorer
{
    public const string ScorerName = "service spread";

    public string Name => ScorerName;

    public int Weight { get; } = weight;

    public bool IsActive(PlacementContext ctx) => ctx.Placement.Strategy == PlacementStrategy.Spread;

    public double Score(PlacementContext ctx, NodeCandidate node)
    {
        var max = ctx.MaxServiceReplicas;
        return max == 0 ? 1 : (double)(max - ctx.ServiceReplicasOn(node)) / max;
    }
}
