namespace Orchestrator.Scheduler.Filters;

/// <summary>
/// A NoSchedule or NoExecute taint keeps out every replica without a matching toleration. PreferNoSchedule only
/// lowers the node's score (<see cref="Scorers.TaintTolerationScorer"/>). The reason names the first such taint.
/// </summary>
public sealed class TaintsFilter : IFilter
{
    public const string FilterName = "taints";

    public string Name => FilterName;

    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node)
    {
        if (!node.HasTaints) return FilterStatus.Success;
        var taint = NodeEligibility.FirstUntoleratedTaint(ctx.Placement, node.Info);
        return taint < 0 ? FilterStatus.Success : FilterStatus.Unresolvable(node.UntoleratedTaintReasons[taint]);
    }
}
