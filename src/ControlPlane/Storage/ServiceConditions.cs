namespace Orchestrator.ControlPlane.Storage;

/// <summary>What the control plane last concluded about a service; derived, but kept so that every silo and restart sees it.</summary>
public sealed record ServiceConditions
{
    public long ObservedGeneration { get; init; }
    /// <summary>Why some replicas could not be placed, from the scheduler; null when all are placed.</summary>
    public string? PendingReason { get; init; }
    public int PendingCount { get; init; }
    /// <summary>Why the last reconcile of the service failed (e.g. a record in etcd it cannot read); null once one succeeds.</summary>
    public string? StuckReason { get; init; }
}
