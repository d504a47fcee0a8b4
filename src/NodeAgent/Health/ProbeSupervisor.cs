using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Health;

/// <summary>
/// Keeps one probe loop per probe of every running replica container, each on its own timer after its
/// initialDelaySeconds; a new container, or the same one started again, gets fresh loops and fresh counts.
/// A readiness flip is published in <see cref="Health"/>; a liveness probe that fails failureThreshold times in a
/// row makes the agent stop the container, after which the restart policy and its back-off decide, as for any exit.
/// </summary>
public sealed class ProbeSupervisor(ProbeCheck check, IContainerRuntime runtime, ActionExecutor executor, TimeSpan stopTimeout,
    TimeProvider time, ILogger<ProbeSupervisor> log)
{
    private readonly ConcurrentDictionary<string, ReplicaHealth> _health = new(StringComparer.Ordinal);
    /// <summary>Replica id -> the container start being probed ("id@start") and what stops its loops.</summary>
    private readonly Dictionary<string, (string Instance, CancellationTokenSource Stop)> _probed = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public IReadOnlyDictionary<string, ReplicaHealth> Health => _health;

    /// <summary>Raised when readiness flips or a liveness failure stopped a container: the status should go out now.</summary>
    public event Action? Changed;

    /// <summary>Starts loops for running containers not yet probed and stops those of containers that stopped or went away.</summary>
    public void Sync(IReadOnlyCollection<Replica> assigned, IReadOnlyCollection<ObservedContainer> observed, CancellationToken agentStopping)
    {
        var wanted = new Dictionary<string, (Replica Replica, ObservedContainer Container)>(StringComparer.Ordinal);
        // A terminating replica is out of service: no probe speaks for it any more.
        foreach (var replica in assigned.Where(r => !r.Terminating && (r.Container.LivenessProbe is not null || r.Container.ReadinessProbe is not null)))
        {
            var container = AgentReconciler.Keeper(observed.Where(c => c.ReplicaId == replica.Id && c.SpecHash == replica.SpecHash));
            if (container is { IsRunning: true }) wanted[replica.Id] = (replica, container);
        }
        lock (_lock)
        {
            foreach (var (id, probed) in _probed.ToList())
            {
                if (wanted.TryGetValue(id, out var w) && Instance(w.Container) == probed.Instance) continue;
                probed.Stop.Cancel();
                probed.Stop.Dispose();
                _probed.Remove(id);
                _health.TryRemove(id, out _);
            }
            foreach (var (id, (replica, container)) in wanted.Where(w => !_probed.ContainsKey(w.Key)))
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(agentStopping);
                _probed[id] = (Instance(container), stop);
                _health[id] = new ReplicaHealth(Ready: false, LastProbe: null);
                if (replica.Container.LivenessProbe is { } liveness) _ = ProbeAsync(replica, container, liveness, isLiveness: true, stop.Token, agentStopping);
                if (replica.Container.ReadinessProbe is { } readiness) _ = ProbeAsync(replica, container, readiness, isLiveness: false, stop.Token, agentStopping);
            }
        }
    }

    /// <summary>A restart keeps the container id, so the start time tells one run of it from the next.</summary>
    private static string Instance(ObservedContainer c) => $"{c.Id}@{c.StartedAt:O}";

    private async Task ProbeAsync(Replica replica, ObservedContainer container, Probe probe, bool isLiveness, CancellationToken ct, CancellationToken agentStopping)
    {
        var kind = isLiveness ? "liveness" : "readiness";
        var state = isLiveness ? ProbeState.Liveness(probe) : ProbeState.Readiness(probe);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(probe.InitialDelaySeconds), time, ct);
            while (!ct.IsCancellationRequested)
            {
                var result = await check.RunAsync(probe, container, ct);
                var flipped = state.Record(result.Success);
                if (ct.IsCancellationRequested) return;
                var last = $"{kind}: {result.Detail}";
                var now = time.GetUtcNow();
                _health.AddOrUpdate(replica.Id, _ => Next(new ReplicaHealth(false, null), isLiveness, state, probe, last, now),
                    (_, h) => Next(h, isLiveness, state, probe, last, now));
                // Reaching failureThreshold without ever passing flips nothing, yet it is news: a rollout fails on it.
                if (!isLiveness && !state.Passing && state.ConsecutiveFailures == probe.FailureThreshold) Changed?.Invoke();
                if (flipped && isLiveness)
                {
                    await StopUnhealthyAsync(replica, container, $"liveness probe failed {probe.FailureThreshold} time{(probe.FailureThreshold == 1 ? "" : "s")}: {result.Detail}", agentStopping);
                    return;
                }
                if (flipped)
                {
                    log.LogInformation("{Container} (replica {Replica}) is {Readiness}: {Detail}", replica.ContainerName, replica.Id,
                        state.Passing ? "ready" : "not ready", result.Detail);
                    Changed?.Invoke();
                }
                await Task.Delay(TimeSpan.FromSeconds(probe.PeriodSeconds), time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            log.LogWarning("{Kind} probe of {Container} stopped: {Message}", kind, replica.ContainerName, e.GetBaseException().Message);
        }
    }

    private static ReplicaHealth Next(ReplicaHealth h, bool isLiveness, ProbeState state, Probe probe, string last, DateTimeOffset now) =>
        isLiveness
            ? h with { LastProbe = last }
            : h with
            {
                Ready = state.Passing,
                LastProbe = last,
                ReadySince = state.Passing ? h.ReadySince ?? now : null,
                ReadinessFailures = Math.Min(state.ConsecutiveFailures, probe.FailureThreshold),
            };

    /// <summary>Stops with the agent's stop timeout; the agent's whole token, not the probe loop's, so that the stop is not cut short when the exit ends the loop.</summary>
    private async Task StopUnhealthyAsync(Replica replica, ObservedContainer container, string reason, CancellationToken agentStopping)
    {
        log.LogWarning("{Container} (replica {Replica}): {Reason}; stopping it", replica.ContainerName, replica.Id, reason);
        executor.NoteStop(replica.Id, reason);
        await runtime.StopAsync(container.Id, stopTimeout, agentStopping);
        Changed?.Invoke();
    }
}
