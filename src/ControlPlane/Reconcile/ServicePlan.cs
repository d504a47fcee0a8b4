using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Reconcile;

public sealed record ReplicaRemoval(Replica Replica, string Reason);

/// <summary>What reconciling one service decided: assignments to drop, then slots to place.</summary>
public sealed record ServicePlan(IReadOnlyList<ReplicaRemoval> Remove, IReadOnlyList<int> Place)
{
    public bool IsEmpty => Remove.Count == 0 && Place.Count == 0;
}
