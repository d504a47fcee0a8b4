using Orchestrator.Contracts;
using Orleans.Concurrency;

namespace Orchestrator.ControlPlane.Grains;

public interface IServiceGrain : IGrainWithStringKey
{
    Task<ReconcileSummary> Reconcile(string? traceParent);

    /// <summary>Something about the service's replicas changed (a status report): reconcile soon, once for a burst of such news.</summary>
    [OneWay]
    Task Nudge();

    /// <summary>`orc rollout pause|resume`; null when the service does not exist.</summary>
    Task<RolloutStatus?> SetPaused(bool paused);

    /// <summary>`orc rollout undo [--to-revision N]`: puts an earlier revision's spec back as a new revision.</summary>
    Task<UndoOutcome> Undo(long? toRevision);
}

[GenerateSerializer, Immutable]
public sealed record ReconcileSummary(
    [property: Id(0)] int Removed,
    [property: Id(1)] int Placed,
    [property: Id(2)] int Pending,
    [property: Id(3)] string? PendingReason);

/// <summary>The revision an undo made and the one it copied, or why nothing was done (NotFound: no such service).</summary>
[GenerateSerializer, Immutable]
public sealed record UndoOutcome(
    [property: Id(0)] long Revision,
    [property: Id(1)] long ToRevision,
    [property: Id(2)] string? Error,
    [property: Id(3)] bool NotFound = false);
