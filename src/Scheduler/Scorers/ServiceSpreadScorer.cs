namespace Orchestrator.Scheduler.Scorers;

/// <summary>
/// Prefer the node with fewer replicas of the same service, so that losing one machine loses as few of them
/// as possible: 3 replicas on 3 nodes land 1/1/1. Normalised against the busiest node (as Kubernetes'
/// selector spread does): a node with none scores 1, the busiest 0, so the signal stays strong at any scale.
/// </summary>
public sealed class ServiceSpreadScorer(int weight = 2) : IScorer
{
    public const string ScorerName = "service spread";

    public string Name => ScorerName;

    public int Weight { get; } = weight;

    public double Score(PlacementContext ctx, NodeCandidate node)
    {
        var max = ctx.MaxServiceReplicas;
        return max == 0 ? 1 : (double)(max - node.ServiceReplicas) / max;
    }
}
