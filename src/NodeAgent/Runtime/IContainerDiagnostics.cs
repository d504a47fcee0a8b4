using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>
/// What people look at through the agent's own API (GET /v1/replicas/{id}/logs, GET /v1/stats): logs and resource use
/// of this cluster's containers. Apart from <see cref="IContainerRuntime"/> because reconcile never needs it.
/// </summary>
public interface IContainerDiagnostics
{
    /// <summary>The container of <paramref name="replicaId"/> in this cluster: the running one, else the newest; null when there is none.</summary>
    Task<ObservedContainer?> FindReplicaAsync(string replicaId, CancellationToken ct);

    /// <summary>
    /// The container's stdout and stderr as text lines, in batches as the engine hands them over: the last
    /// <paramref name="tail"/> lines (all when null), then, with <paramref name="follow"/>, new lines until the container stops
    /// or <paramref name="ct"/> fires.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<string>> LogsAsync(string containerId, int? tail, bool follow, CancellationToken ct);

    /// <summary>Cpu and memory in use by every running container of this cluster.</summary>
    Task<IReadOnlyList<ContainerUsage>> UsageAsync(CancellationToken ct);
}
