using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.Bench.HollowNodes;

/// <summary>
/// A SIMULATED engine for one hollow node: a create is a record that runs at once, nothing is executed, no port is
/// bound. It labels and reports containers as <see cref="DockerRuntime"/> does, so the real agent code above it
/// (reconcile, restart policy, status reports) behaves as on a real host. For benchmarks only; never a default.
/// </summary>
public sealed class SimulatedContainerRuntime(string cluster, string node) : IContainerRuntime
{
    private readonly ConcurrentDictionary<string, ObservedContainer> _containers = new();
    private readonly Channel<ContainerEvent> _events = Channel.CreateUnbounded<ContainerEvent>();
    private long _next;

    public int Running => _containers.Values.Count(c => c.IsRunning);

    public Task<IReadOnlyList<ObservedContainer>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ObservedContainer>>(_containers.Values.ToList());

    public Task<string> CreateAndStartAsync(Replica replica, CancellationToken ct)
    {
        var id = $"simulated-{node}-{Interlocked.Increment(ref _next)}";
        var now = DateTimeOffset.UtcNow;
        _containers[id] = new ObservedContainer
        {
            Id = id,
            Name = replica.ContainerName,
            Labels = DockerRuntime.Labels(replica, cluster, node),
            State = ContainerStates.Running,
            CreatedAt = now,
            StartedAt = now,
        };
        _events.Writer.TryWrite(new ContainerEvent("start", id, replica.Id, now));
        return Task.FromResult(id);
    }

    public Task StartAsync(string containerId, CancellationToken ct)
    {
        if (!_containers.TryGetValue(containerId, out var c)) throw new InvalidOperationException($"no such container: {containerId}");
        _containers[containerId] = c with { State = ContainerStates.Running, ExitCode = null, StartedAt = DateTimeOffset.UtcNow };
        _events.Writer.TryWrite(new ContainerEvent("start", containerId, c.ReplicaId, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    public Task StopAndRemoveAsync(string containerId, TimeSpan? timeout, CancellationToken ct)
    {
        if (_containers.TryRemove(containerId, out var c))
            _events.Writer.TryWrite(new ContainerEvent("destroy", containerId, c.ReplicaId, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    public Task StopAsync(string containerId, TimeSpan timeout, CancellationToken ct)
    {
        if (!_containers.TryGetValue(containerId, out var c)) throw new InvalidOperationException($"no such container: {containerId}");
        // A simulated process ends at once on its stop signal, as a well-behaved one would.
        _containers[containerId] = c with { State = ContainerStates.Exited, ExitCode = 0 };
        _events.Writer.TryWrite(new ContainerEvent("die", containerId, c.ReplicaId, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    /// <summary>Nothing runs inside a simulated container: an exec probe succeeds.</summary>
    public Task<long> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken ct) => Task.FromResult(0L);

    public async IAsyncEnumerable<ContainerEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(ct)) yield return e;
    }
}
