using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Reconcile;

public sealed record ReplicaRemoval(Replica Replica, string Reason);

/// <summary>
/// What reconciling one service decided: assignments to drop at once, replicas to take out of service and stop
/// (a rollout's replaced ones: deleted only once their agent reports them stopped), then slots to place.
/// </summary>
public sealed record ServicePlan(IReadOnlyList<ReplicaRemoval> Remove, IReadOnlyList<int> Place)
{
    public IReadOnlyList<ReplicaRemoval> Terminate { get; init; } = [];
    /// <summary>When a replica that is ready now will have been ready for minReadySeconds: reconcile again then.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    public bool IsEmpty => Remove.Count == 0 && Place.Count == 0 && Terminate.Count == 0;
}

/// <summary>The moment a plan is made for, and whether replacing replicas is on hold (paused, or failed with onFailure pause).</summary>
public sealed record RolloutInput(DateTimeOffset Now, bool Hold = false)
{
    public static readonly RolloutInput Free = new(DateTimeOffset.MaxValue);
}
