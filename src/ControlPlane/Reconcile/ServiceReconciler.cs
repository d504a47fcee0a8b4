using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Reconcile;

/// <summary>What the reconciler needs to know of a node.</summary>
public readonly record struct NodeView(NodeState State, bool Draining, NodeInfo? Node = null)
{
    public static NodeView Of(NodeInfo n) => new(n.State, n.Draining, n);
}

/// <summary>
/// Desired state against assigned replicas, as a pure function. Slots 1..replicas must each hold exactly one replica
/// of the current spec on a node that is not Down; everything else is removed, and every empty slot is placed.
/// The executor removes first, so that what a removal frees is visible to the placement that follows.
/// A replica on a draining node is moved start-first: its slot is placed again elsewhere (one slot per service at a
/// time), and the old replica is removed only once the new one runs, so a drain never lowers the running count.
/// </summary>
public static class ServiceReconciler
{
    public const string ReasonServiceDeleted = "service deleted";
    public const string ReasonScaledDown = "scaled down";
    public const string ReasonSpecChanged = "spec changed";
    public const string ReasonNodeGone = "node no longer registered";
    public const string ReasonNodeDown = "node down";
    public const string ReasonDuplicateSlot = "duplicate of another replica in the same slot";
    public const string ReasonDrained = "moved off a draining node";
    public const string ReasonNoExecute = "node has a NoExecute taint the service does not tolerate";

    /// <param name="nodes">Every registered node. Replicas on a Down node are replaced; on a NotReady node they are
    /// kept, since the node may only be slow (the grace that avoids flapping).</param>
    /// <param name="running">Ids of replicas whose container is reported running.</param>
    public static ServicePlan Plan(ServiceObject? service, IReadOnlyList<Replica> replicas,
        IReadOnlyDictionary<string, NodeView> nodes, IReadOnlySet<string>? running = null)
    {
        if (service is null)
            return new ServicePlan(replicas.Select(r => new ReplicaRemoval(r, ReasonServiceDeleted)).ToList(), []);

        running ??= new HashSet<string>();
        var desired = service.Spec.Replicas;
        var specHash = ContainerSpec.From(service.Spec).Hash();
        var remove = new List<ReplicaRemoval>();
        var valid = new List<Replica>();

        foreach (var r in replicas)
        {
            var reason =
                r.Slot > desired || r.Slot < 1 ? ReasonScaledDown :
                r.SpecHash != specHash ? ReasonSpecChanged :
                !nodes.TryGetValue(r.Node, out var node) ? ReasonNodeGone :
                node.State == NodeState.Down ? ReasonNodeDown :
                node.Node is { } info && Scheduler.TaintEviction.MustEvict(info, service.Spec.Placement) is { } taint
                    ? $"{ReasonNoExecute} ({taint.Key}{(string.IsNullOrEmpty(taint.Value) ? "" : "=" + taint.Value)})" :
                null;
            if (reason is null) valid.Add(r);
            else remove.Add(new ReplicaRemoval(r, reason));
        }

        bool Draining(Replica r) => nodes[r.Node].Draining;
        var place = new List<int>();
        var moving = false;
        var slots = valid.ToLookup(r => r.Slot);
        for (var slot = 1; slot <= desired; slot++)
        {
            // Oldest first, so that of two replicas in one slot the established one stays.
            var inSlot = slots[slot].OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
            var staying = inSlot.Where(r => !Draining(r)).ToList();
            var leaving = inSlot.Where(Draining).ToList();
            if (staying.Count > 0)
            {
                remove.AddRange(staying.Skip(1).Select(r => new ReplicaRemoval(r, ReasonDuplicateSlot)));
                var successorRuns = running.Contains(staying[0].Id);
                if (successorRuns) remove.AddRange(leaving.Select(r => new ReplicaRemoval(r, ReasonDrained)));
                else moving |= leaving.Count > 0;
            }
            else if (leaving.Count > 0)
            {
                remove.AddRange(leaving.Skip(1).Select(r => new ReplicaRemoval(r, ReasonDuplicateSlot)));
            }
            else
            {
                place.Add(slot);
            }
        }

        // One slot per service moves at a time: the next starts when the previous successor runs.
        if (!moving)
        {
            var next = Enumerable.Range(1, desired).FirstOrDefault(s => slots[s].Any() && slots[s].All(Draining));
            if (next > 0) place.Add(next);
        }
        return new ServicePlan(remove, place.Order().ToList());
    }
}
