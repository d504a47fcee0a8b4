using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Reconcile;

/// <summary>
/// Desired state against assigned replicas, as a pure function. Slots 1..replicas must each hold exactly one replica
/// of the current spec on a known node; everything else is removed, and every empty slot is placed.
/// The executor removes first, so that what a removal frees is visible to the placement that follows.
/// </summary>
public static class ServiceReconciler
{
    public const string ReasonServiceDeleted = "service deleted";
    public const string ReasonScaledDown = "scaled down";
    public const string ReasonSpecChanged = "spec changed";
    public const string ReasonNodeGone = "node no longer registered";
    public const string ReasonDuplicateSlot = "duplicate of another replica in the same slot";

    public static ServicePlan Plan(ServiceObject? service, IReadOnlyList<Replica> replicas, IReadOnlySet<string> knownNodes)
    {
        if (service is null)
            return new ServicePlan(replicas.Select(r => new ReplicaRemoval(r, ReasonServiceDeleted)).ToList(), []);

        var desired = service.Spec.Replicas;
        var specHash = ContainerSpec.From(service.Spec).Hash();
        var remove = new List<ReplicaRemoval>();
        var filled = new HashSet<int>();

        // Oldest first, so that of two replicas in one slot the established one stays.
        foreach (var r in replicas.OrderBy(r => r.Slot).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal))
        {
            var reason =
                r.Slot > desired || r.Slot < 1 ? ReasonScaledDown :
                r.SpecHash != specHash ? ReasonSpecChanged :
                !knownNodes.Contains(r.Node) ? ReasonNodeGone :
                filled.Contains(r.Slot) ? ReasonDuplicateSlot :
                null;
            if (reason is null) filled.Add(r.Slot);
            else remove.Add(new ReplicaRemoval(r, reason));
        }

        var place = Enumerable.Range(1, desired).Where(slot => !filled.Contains(slot)).ToList();
        return new ServicePlan(remove, place);
    }
}
