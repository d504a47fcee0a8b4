namespace Orchestrator.Scheduler.Filters;

/// <summary>
/// The node must carry every label of spec.placement.nodeSelector and satisfy every constraint expression.
/// Two reasons, so that an explanation tells which of the two a person got wrong; the selector is checked first.
/// </summary>
public sealed class NodeSelectorFilter : IFilter
{
    public const string FilterName = "node selector";

    public string Name => FilterName;

    public bool IsActive(PlacementContext ctx) => ctx.Placement.NodeSelector.Count > 0 || ctx.Placement.Constraints.Count > 0;

    // Unresolvable: only relabelling the node changes the answer.
    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node) =>
        !NodeEligibility.MatchesSelector(ctx.Placement, node.Info) ? FilterStatus.Unresolvable(Reasons.NodeSelectorMismatch)
        : !NodeEligibility.MatchesConstraints(ctx.Placement, node.Info) ? FilterStatus.Unresolvable(Reasons.ConstraintsMismatch)
        : FilterStatus.Success;
}
