using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// The rules that depend only on the node and the service's placement, never on what runs where. The filters apply
/// them one by one (each with its own reason); topology spread asks all of them at once, because a domain whose nodes
/// can never take the replica must not hold the minimum down (Kubernetes' nodeAffinityPolicy: Honor).
/// </summary>
internal static class NodeEligibility
{
    /// <summary>The node's value for a key: its name for node.name, else its label; null when it has no such label.</summary>
    public static string? ValueOf(NodeInfo node, string key) =>
        key == PlacementSpec.NodeNameKey ? node.Name : node.Labels.GetValueOrDefault(key);

    public static bool MatchesSelector(PlacementSpec placement, NodeInfo node)
    {
        foreach (var (key, value) in placement.NodeSelector)
            if (ValueOf(node, key) != value) return false;
        return true;
    }

    public static bool MatchesConstraints(PlacementSpec placement, NodeInfo node)
    {
        var constraints = placement.Constraints;
        for (var i = 0; i < constraints.Count; i++)
            if (!Holds(constraints[i], ValueOf(node, constraints[i].Key))) return false;
        return true;
    }

    /// <summary>Index of the first NoSchedule or NoExecute taint no toleration covers, or -1.</summary>
    public static int FirstUntoleratedTaint(PlacementSpec placement, NodeInfo node)
    {
        var taints = node.Taints;
        for (var i = 0; i < taints.Count; i++)
            if (taints[i].Effect != TaintEffect.PreferNoSchedule && !Tolerated(placement.Tolerations, taints[i])) return i;
        return -1;
    }

    public static int UntoleratedPreferNoSchedule(PlacementSpec placement, NodeInfo node)
    {
        var count = 0;
        foreach (var taint in node.Taints)
            if (taint.Effect == TaintEffect.PreferNoSchedule && !Tolerated(placement.Tolerations, taint)) count++;
        return count;
    }

    public static bool Tolerated(IReadOnlyList<Toleration> tolerations, Taint taint)
    {
        for (var i = 0; i < tolerations.Count; i++)
            if (tolerations[i].Tolerates(taint)) return true;
        return false;
    }

    /// <summary>Whether the node could ever take a replica of this service, whatever else is placed or freed.</summary>
    public static bool CanEverHost(PlacementSpec placement, NodeInfo node) =>
        node.State == NodeState.Ready && !node.Cordoned && MatchesSelector(placement, node)
        && MatchesConstraints(placement, node) && FirstUntoleratedTaint(placement, node) < 0;

    private static bool Holds(NodeConstraint constraint, string? value) => constraint.Operator switch
    {
        ConstraintOperator.In => value is not null && constraint.Values.Contains(value),
        // Kubernetes: a node without the label is "not in" any list.
        ConstraintOperator.NotIn => value is null || !constraint.Values.Contains(value),
        ConstraintOperator.Exists => value is not null,
        _ => value is null,
    };
}
