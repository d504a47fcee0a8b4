using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Nodes;

/// <summary>Says what a node's state change means, as an event, and wakes the reconcile where it changes placement.</summary>
public sealed class NodeTransitions(EventRecorder events, IServiceResyncTrigger reconcileLoop, ControlPlaneOptions options, TimeProvider time)
{
    /// <summary>Returns whether the state changed.</summary>
    public async Task<bool> RecordAsync(NodeInfo? before, NodeInfo after)
    {
        if (before is null || before.State == after.State) return false;
        var silent = (time.GetUtcNow() - after.LastHeartbeat).TotalSeconds;
        var (reason, message, warning) = after.State switch
        {
            NodeState.NotReady when after.ObservedRevision < after.FenceRevision =>
                ("NodeFenced", $"node {after.Name} is back; fenced until its agent has applied revision {after.FenceRevision} (stopped what was replaced)", true),
            NodeState.NotReady => ("NodeNotReady", $"node {after.Name} silent for {silent:0.0}s; takes nothing new (replicas replaced after {options.Nodes.DownAfter.TotalSeconds:0}s)", true),
            NodeState.Down => ("NodeDown", $"node {after.Name} silent for {silent:0.0}s; its replicas are replaced where there is room elsewhere, and stay assigned to it until then", true),
            _ => ("NodeReady", $"node {after.Name} is Ready" + (before.State == NodeState.Down ? " again after being Down" : ""), false),
        };
        await events.ClusterEventAsync($"Node/{after.Name}", reason, message, warning);
        // Down frees replicas for replacement; Ready offers room to what is pending.
        if (after.State is NodeState.Down or NodeState.Ready) reconcileLoop.Trigger();
        return true;
    }
}
