using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>What the control plane asks when a node gains a NoExecute taint: must this service's replicas leave it?</summary>
public static class TaintEviction
{
    /// <summary>The first NoExecute taint of the node that the placement does not tolerate, or null when replicas may stay.</summary>
    public static Taint? MustEvict(NodeInfo node, PlacementSpec? placement)
    {
        ArgumentNullException.ThrowIfNull(node);
        var tolerations = placement?.Tolerations ?? [];
        foreach (var taint in node.Taints)
            if (taint.Effect == TaintEffect.NoExecute && !NodeEligibility.Tolerated(tolerations, taint)) return taint;
        return null;
    }
}
