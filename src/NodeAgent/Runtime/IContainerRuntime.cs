using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>
/// The container engine as the agent needs it. Every operation is scoped to one cluster's managed containers;
/// reconcile logic is tested against a fake, the Docker implementation against a real engine.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>Every container of this cluster in any state, with labels, state and host port bindings.</summary>
    Task<IReadOnlyList<ObservedContainer>> ListAsync(CancellationToken ct);

    /// <summary>Creates the container of <paramref name="replica"/> (named <see cref="Replica.ContainerName"/>) and starts it; returns its id.</summary>
    Task<string> CreateAndStartAsync(Replica replica, CancellationToken ct);

    /// <summary>The same with the env values and files the replica takes from secrets and configs; engines that cannot, ignore them.</summary>
    Task<string> CreateAndStartAsync(Replica replica, ReplicaInputs inputs, CancellationToken ct) => CreateAndStartAsync(replica, ct);

    Task StartAsync(string containerId, CancellationToken ct);

    /// <summary>Stops (waiting up to <paramref name="timeout"/>) and force-removes; a container already gone is not an error.</summary>
    Task StopAndRemoveAsync(string containerId, TimeSpan? timeout, CancellationToken ct);

    /// <summary>Stops a running container, killing it after <paramref name="timeout"/>; it stays, exited, for the restart policy to judge.</summary>
    Task StopAsync(string containerId, TimeSpan timeout, CancellationToken ct);

    /// <summary>Runs <paramref name="command"/> inside the container until it ends (or <paramref name="ct"/> fires); returns its exit code.</summary>
    Task<long> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken ct);

    /// <summary>Lifecycle events of this cluster's containers until cancelled or the engine connection ends.</summary>
    IAsyncEnumerable<ContainerEvent> WatchAsync(CancellationToken ct);
}
