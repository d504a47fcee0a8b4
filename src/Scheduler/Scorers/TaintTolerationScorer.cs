namespace Orchestrator.Scheduler.Scorers;

/// <summary>
/// PreferNoSchedule taints the replica does not tolerate make a node less attractive: 1 with none, 1/(1+n) with n,
/// so such a node is used only when the others are clearly worse. Active only when some node has such a taint.
/// </summary>
public sealed class TaintTolerationScorer(int weight = 3) : IScorer
{
    public const string ScorerName = "taint toleration";

    public string Name => ScorerName;

    public int Weight { get; } = weight;

    public bool IsActive(PlacementContext ctx) => ctx.State.PreferNoScheduleNodes > 0;

    public double Score(PlacementContext ctx, NodeCandidate node) =>
        node.HasPreferNoSchedule ? 1.0 / (1 + NodeEligibility.UntoleratedPreferNoSchedule(ctx.Placement, node.Info)) : 1;
}
