using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>
/// What one pass of the executor did: whether the engine changed, when a deferred restart or retry is due, and how many
/// removals failed (a failed create or start is retried with back-off and does not keep the revision from counting as
/// applied: <see cref="ControlPlane.AssignmentSet.AppliedRevision"/> is about removals).
/// </summary>
public sealed record ExecutionResult(bool Changed, TimeSpan? RetryIn, int Failed = 0);

/// <summary>
/// Performs <see cref="AgentAction"/>s against the engine. It never throws: a failed action is logged,
/// remembered for the status report, and planned again by the next reconcile. A replica whose create or start failed
/// is tried again with back-off (1 s doubling to 30 s, <see cref="RestartBackoff"/>), its reason in the status meanwhile.
/// </summary>
/// <param name="dataFiles">Env values and files from secrets and configs; null for an agent that runs no replica using them (tests).</param>
public sealed class ActionExecutor(IContainerRuntime runtime, string node, TimeSpan stopTimeout, TimeProvider time, ILogger<ActionExecutor> log,
    ReplicaDataFiles? dataFiles = null)
{
    /// <summary>Docker on 2 cores handles about 5 containers/s, reached with about 8 calls at once (testbed.md).</summary>
    private const int Parallelism = 8;

    private readonly ConcurrentDictionary<string, ReplicaRecord> _records = new(StringComparer.Ordinal);
    private readonly RestartBackoff _backoff = new(time);
    /// <summary>The same schedule for replicas whose create or start failed: a missing image is not asked for every pass.</summary>
    private readonly RestartBackoff _retry = new(time);
    private readonly Lock _backoffLock = new();

    public IReadOnlyDictionary<string, ReplicaRecord> Records => _records;

    /// <param name="observed">the containers the actions were planned from; they name the service of a removed container in its metrics</param>
    public async Task<ExecutionResult> ExecuteAsync(IReadOnlyList<AgentAction> actions, CancellationToken ct, IReadOnlyList<ObservedContainer>? observed = null)
    {
        var labels = (observed ?? []).ToDictionary(c => c.Id, c => c.Labels);
        var changed = 0;
        var failed = 0;
        TimeSpan? retryIn = null;
        // Graceful stops run in the background: a grace period of seconds must not hold up anything else.
        foreach (var stop in actions.OfType<StopContainer>())
            if (StartStop(stop, labels)) changed++;
        // Removals first and to completion: a replacement reuses the removed container's name.
        var phases = new[] { actions.OfType<RemoveContainer>().ToList<AgentAction>(), actions.Where(a => a is CreateContainer or StartContainer).ToList() };
        foreach (var phase in phases)
        {
            await Parallel.ForEachAsync(phase, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (action, token) =>
            {
                var wait = DeferredStart(action);
                if (wait > TimeSpan.Zero)
                {
                    lock (_backoffLock) retryIn = retryIn is { } r && r < wait ? r : wait;
                    // A new back-off is news (CrashLoopBackOff): report it now, not at the next status interval.
                    if (WaitFor(ReplicaOf(action)!, wait)) Interlocked.Increment(ref changed);
                    return;
                }
                if (await TryRunAsync(action, labels, token, () => { if (action is RemoveContainer) Interlocked.Increment(ref failed); }))
                    Interlocked.Increment(ref changed);
            });
        }
        // A create or start that failed just now is retried when its back-off ends, not only at the next resync.
        var now = time.GetUtcNow();
        foreach (var id in actions.Select(ReplicaOf).OfType<string>())
            if (_records.GetValueOrDefault(id) is { FailureReason: not null, NextRestartAt: { } due } && due > now && (retryIn is not { } r || due - now < r))
                retryIn = due - now;
        return new ExecutionResult(changed > 0, retryIn, failed);
    }

    /// <summary>Raised when a background stop finished: the engine changed, the status should go out.</summary>
    public event Action? Stopped;

    /// <summary>Containers being stopped in the background; a container is stopped once however often it is planned.</summary>
    private readonly ConcurrentDictionary<string, Task> _stopping = new(StringComparer.Ordinal);

    public int Stopping => _stopping.Count;

    /// <summary>
    /// How long a graceful stop waits before the stop signal, so that every node has taken the replica out of its
    /// balancing rules first (the control plane drops it from the endpoints when it is marked terminating or unassigned;
    /// the change is pushed to every agent's rules within about a second). Zero without the cluster network.
    /// </summary>
    public TimeSpan EndpointDrain { get; init; }

    private bool StartStop(StopContainer stop, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> labels)
    {
        // The lock orders the add before the removal at the end, however fast the stop is.
        lock (_stopping)
        {
            if (_stopping.ContainsKey(stop.ContainerId)) return false;
            _stopping[stop.ContainerId] = Task.Run(async () =>
            {
                try
                {
                    if (EndpointDrain > TimeSpan.Zero) await Task.Delay(EndpointDrain, time);
                    await TryRunAsync(stop, labels, CancellationToken.None, () => { });
                }
                finally
                {
                    lock (_stopping) _stopping.TryRemove(stop.ContainerId, out Task? _);
                    Stopped?.Invoke();
                }
            });
            return true;
        }
    }

    /// <summary>Waits for the background stops under way (tests; a graceful shutdown).</summary>
    public Task StopsSettledAsync() => Task.WhenAll(_stopping.Values);

    /// <summary>How long a create or start must still wait: for its restart back-off, or for the retry after a failure.</summary>
    private TimeSpan DeferredStart(AgentAction action)
    {
        if (ReplicaOf(action) is not { } id) return TimeSpan.Zero;
        lock (_backoffLock)
        {
            var retry = _retry.Remaining(id);
            var restart = action is StartContainer { NeverStarted: false } ? _backoff.Remaining(id) : TimeSpan.Zero;
            return retry > restart ? retry : restart;
        }
    }

    /// <summary>Records when the deferred restart is due; true when that is a new back-off rather than one already recorded.</summary>
    private bool WaitFor(string replicaId, TimeSpan wait)
    {
        var due = time.GetUtcNow() + wait;
        var isNew = true;
        _records.AddOrUpdate(replicaId, _ => new ReplicaRecord(0, null) { NextRestartAt = due }, (_, r) =>
        {
            // The same back-off seen again by a later pass lands within moments of the recorded time.
            isNew = r.NextRestartAt is not { } known || (known - due).Duration() > TimeSpan.FromMilliseconds(500);
            return r with { NextRestartAt = due };
        });
        return isNew;
    }

    /// <summary>
    /// Notes why the agent is about to stop a running container (a failed liveness probe), so that the status
    /// says so; the stop itself makes it exit, and the restart policy and back-off take it from there.
    /// </summary>
    public void NoteStop(string replicaId, string reason) =>
        _records.AddOrUpdate(replicaId, _ => new ReplicaRecord(0, null) { StopReason = reason }, (_, r) => r with { StopReason = reason });

    private async Task<bool> TryRunAsync(AgentAction action, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> labels,
        CancellationToken ct, Action onFailure)
    {
        var kind = action switch { CreateContainer => "create", StartContainer => "start", StopContainer => "stop", _ => "remove" };
        using var activity = AgentInstruments.StartAction($"{kind} container", (action as CreateContainer)?.Replica.TraceParent);
        activity?.SetTag("orchestrator.action", Describe(action));
        try
        {
            await RunAsync(action, labels, ct);
            AgentInstruments.Actions.Add(1, new("action", kind), new("outcome", "ok"));
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var message = StartFailure.Clean(e.GetBaseException().Message);
            onFailure();
            AgentInstruments.Actions.Add(1, new("action", kind), new("outcome", "error"));
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, message);
            if (ReplicaOf(action) is { } replicaId)
            {
                var replica = action is CreateContainer c ? c.Replica : ((StartContainer)action).Replica;
                var failure = StartFailure.Classify(e.GetBaseException().Message, replica, node);
                TimeSpan wait;
                lock (_backoffLock)
                {
                    _retry.Started(replicaId);
                    wait = _retry.Remaining(replicaId);
                }
                var due = time.GetUtcNow() + wait;
                var before = _records.GetValueOrDefault(replicaId);
                _records.AddOrUpdate(replicaId,
                    _ => new ReplicaRecord(0, failure.Message) { FailureReason = failure.Reason, NextRestartAt = due },
                    (_, r) => r with { Failure = failure.Message, FailureReason = failure.Reason, NextRestartAt = due });
                // Said once per change of reason, not on every retry.
                if (before?.Failure != failure.Message)
                    log.LogWarning("{Action} failed: {Reason}: {Message} (engine: {Engine}); retrying in {Wait}s", Describe(action),
                        failure.Reason, failure.Message, message, wait.TotalSeconds);
            }
            else log.LogWarning("{Action} failed: {Message}", Describe(action), message);
            // The attempt may have changed the engine halfway (created but not started): report either way.
            return true;
        }
    }

    private async Task RunAsync(AgentAction action, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> labels, CancellationToken ct)
    {
        switch (action)
        {
            case CreateContainer create:
                var tags = AgentInstruments.ServiceTags(create.Replica.Namespace, create.Replica.Service);
                var clock = time.GetTimestamp();
                var inputs = dataFiles is not null && ReplicaDataFiles.Uses(create.Replica.Container)
                    ? await dataFiles.PrepareAsync(create.Replica, ct)
                    : ReplicaInputs.None;
                var id = await runtime.CreateAndStartAsync(create.Replica, inputs, ct);
                AgentInstruments.ContainerStartDuration.Record(time.GetElapsedTime(clock).TotalSeconds, tags);
                AgentInstruments.ContainerStarts.Add(1, tags);
                Succeeded(create.Replica.Id);
                log.LogInformation("created {Container} (replica {Replica}) on {Node} as {ContainerId}",
                    create.Replica.ContainerName, create.Replica.Id, node, Short(id));
                break;
            case StartContainer start:
                await runtime.StartAsync(start.ContainerId, ct);
                if (start.NeverStarted)
                {
                    // The first start of a container whose first start failed (a port that was taken): no restart.
                    Succeeded(start.Replica.Id);
                    log.LogInformation("started {Container} (replica {Replica}) on {Node}", start.Replica.ContainerName, start.Replica.Id, node);
                    break;
                }
                lock (_backoffLock) _retry.Forget(start.Replica.Id);
                AgentInstruments.ContainerRestarts.Add(1, AgentInstruments.ServiceTags(start.Replica.Namespace, start.Replica.Service));
                lock (_backoffLock) _backoff.Started(start.Replica.Id, start.Replica.Container.RestartPolicy);
                var record = _records.AddOrUpdate(start.Replica.Id, _ => new ReplicaRecord(1, null),
                    (_, r) => r with { RestartCount = r.RestartCount + 1, Failure = null, FailureReason = null, NextRestartAt = null });
                log.LogInformation("restarted {Container} (replica {Replica}) on {Node}, restart {Count}",
                    start.Replica.ContainerName, start.Replica.Id, node, record.RestartCount);
                break;
            case StopContainer stop:
                await runtime.StopAndRemoveAsync(stop.ContainerId, stop.Grace, ct);
                CountStop(stop.ContainerId, labels);
                log.LogInformation("stopped and removed {Container} ({ContainerId}) on {Node}: {Reason}", stop.ContainerName, Short(stop.ContainerId), node, stop.Reason);
                break;
            case RemoveContainer remove:
                await runtime.StopAndRemoveAsync(remove.ContainerId, stopTimeout, ct);
                CountStop(remove.ContainerId, labels);
                log.LogInformation("removed {Container} ({ContainerId}) on {Node}: {Reason}", remove.ContainerName, Short(remove.ContainerId), node, remove.Reason);
                break;
        }
    }

    /// <summary>A create or start went through: whatever failed before is over, and so is its retry back-off.</summary>
    private void Succeeded(string replicaId)
    {
        lock (_backoffLock) _retry.Forget(replicaId);
        _records.AddOrUpdate(replicaId, _ => new ReplicaRecord(0, null),
            (_, r) => r with { Failure = null, FailureReason = null, NextRestartAt = null });
    }

    private static void CountStop(string containerId, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> labels)
    {
        var removed = labels.GetValueOrDefault(containerId);
        AgentInstruments.ContainerStops.Add(1, AgentInstruments.ServiceTags(
            removed?.GetValueOrDefault(ContainerLabels.Namespace), removed?.GetValueOrDefault(ContainerLabels.Service)));
    }

    /// <summary>Drops what is remembered about replicas no longer assigned, so the records do not grow forever.</summary>
    public void Forget(IEnumerable<string> assignedReplicaIds)
    {
        var keep = assignedReplicaIds.ToHashSet(StringComparer.Ordinal);
        dataFiles?.DropAllBut(keep);
        foreach (var id in _records.Keys.Where(id => !keep.Contains(id)))
        {
            _records.TryRemove(id, out _);
            lock (_backoffLock)
            {
                _backoff.Forget(id);
                _retry.Forget(id);
            }
        }
    }

    private static string? ReplicaOf(AgentAction action) => action switch
    {
        CreateContainer c => c.Replica.Id,
        StartContainer s => s.Replica.Id,
        _ => null,
    };

    private static string Describe(AgentAction action) => action switch
    {
        CreateContainer c => $"create {c.Replica.ContainerName} (replica {c.Replica.Id})",
        StartContainer s => $"start {s.Replica.ContainerName} ({Short(s.ContainerId)})",
        RemoveContainer r => $"remove {r.ContainerName} ({Short(r.ContainerId)})",
        StopContainer t => $"stop {t.ContainerName} ({Short(t.ContainerId)}, grace {(t.Grace is { } g ? $"{g.TotalSeconds:0.#}s" : "of the container")})",
        _ => action.ToString(),
    };

    private static string Short(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;
}
