using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Tests.Fakes;

/// <summary>A working in-memory engine: containers appear, start and disappear as the agent asks, and every call is recorded.</summary>
public sealed class FakeRuntime : IContainerRuntime
{
    private readonly ConcurrentDictionary<string, ObservedContainer> _containers = new();
    private readonly Channel<ContainerEvent> _events = Channel.CreateUnbounded<ContainerEvent>();
    private int _next;

    public ConcurrentQueue<string> Calls { get; } = new();
    public IReadOnlyCollection<ObservedContainer> Containers => _containers.Values.ToList();

    public void Add(ObservedContainer c) => _containers[c.Id] = c;

    /// <summary>What `docker rm -f` behind the agent's back looks like: the container is gone and a destroy event follows.</summary>
    public void RemoveBehindTheAgentsBack(string id)
    {
        _containers.TryRemove(id, out var c);
        _events.Writer.TryWrite(new ContainerEvent("destroy", id, c?.ReplicaId, DateTimeOffset.UtcNow));
    }

    public Task<IReadOnlyList<ObservedContainer>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ObservedContainer>>(_containers.Values.ToList());

    /// <summary>What the engine answers a create with; a test sets it to make creates fail (a missing image, a taken port).</summary>
    public Func<Replica, Exception?> CreateFails { get; set; } = _ => null;

    public Task<string> CreateAndStartAsync(Replica replica, CancellationToken ct)
    {
        if (CreateFails(replica) is { } failure)
        {
            Calls.Enqueue($"create {replica.Id} failed");
            return Task.FromException<string>(failure);
        }
        var id = $"fake{Interlocked.Increment(ref _next)}";
        Calls.Enqueue($"create {replica.Id}");
        _containers[id] = Builders.Container(id).Of(replica).Build() with { CreatedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow };
        // Like the engine, a start is announced: the agent's next pass then sees the container running (and probes it).
        _events.Writer.TryWrite(new ContainerEvent("start", id, replica.Id, DateTimeOffset.UtcNow));
        return Task.FromResult(id);
    }

    public Task StartAsync(string containerId, CancellationToken ct)
    {
        Calls.Enqueue($"start {containerId}");
        var c = _containers.AddOrUpdate(containerId, _ => throw new InvalidOperationException("no such container"),
            (_, c) => c with { State = ContainerStates.Running, ExitCode = null, StartedAt = DateTimeOffset.UtcNow });
        _events.Writer.TryWrite(new ContainerEvent("start", containerId, c.ReplicaId, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    public Task StopAndRemoveAsync(string containerId, TimeSpan? timeout, CancellationToken ct)
    {
        Calls.Enqueue($"remove {containerId}");
        _containers.TryRemove(containerId, out _);
        return Task.CompletedTask;
    }

    /// <summary>What an exec answers; a test sets it to make a probe fail.</summary>
    public Func<string, IReadOnlyList<string>, long> Exec { get; set; } = (_, _) => 0;

    /// <summary>Like `docker stop` of a process killed after the timeout: exited with 137, and a die event.</summary>
    public Task StopAsync(string containerId, TimeSpan timeout, CancellationToken ct)
    {
        Calls.Enqueue($"stop {containerId}");
        var c = _containers.AddOrUpdate(containerId, _ => throw new InvalidOperationException("no such container"),
            (_, c) => c with { State = ContainerStates.Exited, ExitCode = 137 });
        _events.Writer.TryWrite(new ContainerEvent("die", containerId, c.ReplicaId, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    public Task<long> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken ct)
    {
        Calls.Enqueue($"exec {containerId} {string.Join(' ', command)}");
        return Task.FromResult(Exec(containerId, command));
    }

    public async IAsyncEnumerable<ContainerEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(ct)) yield return e;
    }
}
