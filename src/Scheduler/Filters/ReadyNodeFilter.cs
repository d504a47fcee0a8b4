using Orchestrator.Contracts;

namespace Orchestrator.Scheduler.Filters;

/// <summary>Only a node whose agent is heartbeating and that is not cordoned takes new replicas.</summary>
public sealed class ReadyNodeFilter : IFilter
{
    public const string FilterName = "ready node";

    public string Name => FilterName;

    // Both answers are unresolvable: no placement or removal on the node brings its agent back or uncordons it.
    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node) =>
        node.IsReadyAndUncordoned ? FilterStatus.Success
        : node.Info.State != NodeState.Ready ? FilterStatus.Unresolvable(Reasons.NodeNotReady)
        : node.Info.Cordoned ? FilterStatus.Unresolvable(Reasons.NodeCordoned)
        : FilterStatus.Success;
}
