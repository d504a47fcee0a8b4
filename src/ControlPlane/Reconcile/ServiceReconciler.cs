using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Reconcile;

/// <summary>What the reconciler needs to know of a node.</summary>
public readonly record struct NodeView(NodeState State, bool Draining, NodeInfo? Node = null)
{
    public static NodeView Of(NodeInfo n) => new(n.State, n.Draining, n);
}

/// <summary>
/// Desired state against assigned replicas, as a pure function. Slots 1..replicas must each hold exactly one replica
/// of the current spec on a node that is not Down; everything else goes, and every empty slot is placed.
/// <list type="bullet">
/// <item>A replica of an older spec is replaced as a rolling update (docs/rollouts.md): its slot gets a successor
/// first (start-first, within maxSurge) or it is stopped first (stop-first, within maxUnavailable), and it is taken
/// out of service and stopped (<see cref="ServicePlan.Terminate"/>) once its successor is available. Stopping replicas
/// count against maxSurge until their agent reports them gone, so the engines never run more than replicas+maxSurge.</item>
/// <item>A replica on a draining node is moved start-first: its slot is placed again elsewhere (one slot per service
/// at a time), and the old replica is removed only once the new one is available.</item>
/// </list>
/// The executor removes first, so that what a removal frees is visible to the placement that follows.
/// </summary>
public static class ServiceReconciler
{
    public const string ReasonServiceDeleted = "service deleted";
    public const string ReasonScaledDown = "scaled down";
    public const string ReasonReplaced = "replaced by the new revision";
    public const string ReasonStopped = "stopped";
    public const string ReasonNodeGone = "node no longer registered";
    public const string ReasonNodeDown = "node down";
    public const string ReasonDuplicateSlot = "duplicate of another replica in the same slot";
    public const string ReasonDrained = "moved off a draining node";
    public const string ReasonNoExecute = "node has a NoExecute taint the service does not tolerate";

    /// <summary>For callers that only know which replicas run: those count as ready since forever.</summary>
    public static ServicePlan Plan(ServiceObject? service, IReadOnlyList<Replica> replicas,
        IReadOnlyDictionary<string, NodeView> nodes, IReadOnlySet<string> running) =>
        Plan(service, replicas, nodes, running.ToDictionary(id => id,
            id => new ReplicaStatus { ReplicaId = id, State = ReplicaState.Running, Ready = true, ReadySince = DateTimeOffset.MinValue }));

    /// <param name="nodes">Every registered node. Replicas on a Down node are replaced; on a NotReady node they are
    /// kept, since the node may only be slow (the grace that avoids flapping).</param>
    /// <param name="statuses">The agents' last reports, by replica id.</param>
    public static ServicePlan Plan(ServiceObject? service, IReadOnlyList<Replica> replicas,
        IReadOnlyDictionary<string, NodeView> nodes, IReadOnlyDictionary<string, ReplicaStatus>? statuses = null, RolloutInput? rollout = null)
    {
        if (service is null)
            return new ServicePlan(replicas.Select(r => new ReplicaRemoval(r, ReasonServiceDeleted)).ToList(), []);

        statuses ??= new Dictionary<string, ReplicaStatus>();
        rollout ??= RolloutInput.Free;
        var desired = service.Spec.Replicas;
        var strategy = service.Spec.Update;
        var hash = ContainerSpec.From(service.Spec).Hash();
        var remove = new List<ReplicaRemoval>();
        var terminate = new List<ReplicaRemoval>();
        var live = new List<Replica>();
        var stopping = new List<Replica>();

        foreach (var r in replicas)
        {
            nodes.TryGetValue(r.Node, out var node);
            var gone = !nodes.ContainsKey(r.Node);
            if (r.Terminating)
            {
                var reason = gone ? ReasonNodeGone : node.State == NodeState.Down ? ReasonNodeDown
                    : statuses.GetValueOrDefault(r.Id)?.State == ReplicaState.Removed ? ReasonStopped : null;
                if (reason is null) stopping.Add(r);
                else remove.Add(new ReplicaRemoval(r, reason));
                continue;
            }
            var problem =
                r.Slot > desired || r.Slot < 1 ? ReasonScaledDown :
                gone ? ReasonNodeGone :
                // A Down node's replica stays assigned until its slot has a successor elsewhere (below).
                node.State == NodeState.Down ? null :
                node.Node is { } info && Scheduler.TaintEviction.MustEvict(info, service.Spec.Placement) is { } taint
                    ? $"{ReasonNoExecute} ({taint.Key}{(string.IsNullOrEmpty(taint.Value) ? "" : "=" + taint.Value)})" :
                null;
            if (problem is null) live.Add(r);
            else remove.Add(new ReplicaRemoval(r, problem));
        }

        var minReady = TimeSpan.FromSeconds(strategy.MinReadySeconds);
        DateTimeOffset? retryAt = null;
        // A replica on a Down node is lost for now, but may run on: it goes only once its slot has a successor.
        bool Lost(Replica r) => nodes[r.Node].State == NodeState.Down;
        bool Available(Replica r)
        {
            if (Lost(r)) return false;
            if (RolloutTracker.AvailableAt(statuses.GetValueOrDefault(r.Id), minReady) is not { } at) return false;
            if (at <= rollout.Now) return true;
            retryAt = retryAt is { } t && t < at ? t : at;
            return false;
        }
        bool Draining(Replica r) => nodes[r.Node].Draining;
        bool Current(Replica r) => r.SpecHash == hash;

        var available = live.Count(Available);
        var total = live.Count(r => !Lost(r)) + stopping.Count;
        var (surge, unavailable) = strategy.Budgets(desired);
        var maxTotal = desired + surge;
        var minAvailable = desired - unavailable;

        var place = new List<int>();
        var refill = new List<int>();
        var replace = new List<(int Slot, List<Replica> Outgoing)>();
        var drain = new List<int>();
        var moving = false;
        var slots = live.ToLookup(r => r.Slot);
        for (var slot = 1; slot <= desired; slot++)
        {
            // Oldest first, so that of two replicas in one slot the established one stays.
            var inSlot = slots[slot].OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
            var keepers = inSlot.Where(r => Current(r) && !Draining(r) && !Lost(r)).ToList();
            var lost = inSlot.Where(Lost).ToList();
            var outgoing = inSlot.Except(keepers).Except(lost).ToList();
            if (keepers.Count > 0)
                remove.AddRange(lost.Select(r => new ReplicaRemoval(r, ReasonNodeDown)));
            else if (lost.Count > 0)
            {
                // Replace before remove: the successor is placed now; the lost one is removed once it exists. If it
                // can go nowhere, the lost replica simply stays where it is and is kept when its node returns.
                place.Add(slot);
                total++;
                continue;
            }
            if (keepers.Count > 0)
            {
                foreach (var extra in keepers.Skip(1))
                {
                    remove.Add(new ReplicaRemoval(extra, ReasonDuplicateSlot));
                    total--;
                    if (Available(extra)) available--;
                }
                if (outgoing.Count == 0) continue;
                if (!Available(keepers[0]))
                {
                    moving |= outgoing.Any(r => Current(r));
                    continue;
                }
                foreach (var o in outgoing)
                {
                    if (Available(o)) available--;
                    if (Current(o))
                    {
                        remove.Add(new ReplicaRemoval(o, ReasonDrained));
                        total--;
                    }
                    else terminate.Add(new ReplicaRemoval(o, ReasonReplaced));
                }
            }
            else if (outgoing.Count == 0)
            {
                // Emptied by a rollout (its replica is still stopping): within maxSurge. Otherwise simply missing.
                if (stopping.Any(r => r.Slot == slot)) refill.Add(slot);
                else
                {
                    place.Add(slot);
                    total++;
                }
            }
            else if (outgoing.All(Current)) drain.Add(slot);
            else replace.Add((slot, outgoing));
        }

        foreach (var slot in refill.Where(_ => total < maxTotal).Take(Math.Max(0, maxTotal - total)).ToList())
        {
            place.Add(slot);
            total++;
        }

        if (!rollout.Hold)
        {
            foreach (var (slot, outgoing) in replace)
            {
                var outAvailable = outgoing.Count(Available);
                var canSurge = total < maxTotal;
                // Stopping replicas that serve nothing costs no availability.
                var canStop = outAvailable == 0 || available - outAvailable >= minAvailable;
                var startFirst = strategy.Order == UpdateOrder.StartFirst ? canSurge : canSurge && !canStop;
                if (startFirst)
                {
                    place.Add(slot);
                    total++;
                }
                else if (canStop)
                {
                    terminate.AddRange(outgoing.Select(o => new ReplicaRemoval(o, ReasonReplaced)));
                    available -= outAvailable;
                }
            }
        }

        // One slot per service moves off a draining node at a time: the next starts when the previous successor is available.
        if (!moving && drain.Count > 0) place.Add(drain[0]);
        return new ServicePlan(remove, place.Order().ToList()) { Terminate = terminate, RetryAt = retryAt };
    }
}
