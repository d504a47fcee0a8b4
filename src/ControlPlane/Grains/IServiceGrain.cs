namespace Orchestrator.ControlPlane.Grains;

/// <summary>Owns one service ("namespace/name"): reconciles its replicas against its spec, one reconcile at a time.</summary>
public interface IServiceGrain : IGrainWithStringKey
{
    Task<ReconcileSummary> Reconcile(string? traceParent);
}

[GenerateSerializer, Immutable]
public sealed record ReconcileSummary(
    [property: Id(0)] int Removed,
    [property: Id(1)] int Placed,
    [property: Id(2)] int Pending,
    [property: Id(3)] string? PendingReason);
