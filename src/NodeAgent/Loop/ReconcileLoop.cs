using Microsoft.Extensions.Logging;
using Orchestrator.NodeAgent.ControlPlane;
using Orchestrator.NodeAgent.Health;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Loop;

/// <summary>
/// Runs one reconcile at a time: when the assignments change, when the engine reports an event (both through
/// the <see cref="ReconcileTrigger"/>), when a deferred restart is due, and every resync interval as a safety net.
/// Before the first sync only crashed containers are started again (<see cref="LabelledReplicas"/>): an unknown
/// assignment set must not read as "remove everything". Each pass also tells the <see cref="ProbeSupervisor"/> which
/// containers run, and a probe's news (readiness flipped, a container stopped as unhealthy) asks for a pass and a report.
/// </summary>
public sealed class ReconcileLoop(
    IContainerRuntime runtime, AssignmentSet assignments, ActionExecutor executor, ProbeSupervisor probes, StatusReporter reporter,
    ReconcileTrigger trigger, TimeSpan resync, TimeProvider time, ILogger<ReconcileLoop> log)
{
    /// <summary>Completed passes; tests and /healthz use it to see the loop is alive.</summary>
    public long Passes => Interlocked.Read(ref _passes);
    private long _passes;

    /// <summary>The managed containers as the last pass listed them (for the agent's gauges).</summary>
    public IReadOnlyList<ObservedContainer> Observed => Volatile.Read(ref _observed);
    private IReadOnlyList<ObservedContainer> _observed = [];
    private int _healthChanged;

    private void OnHealthChanged()
    {
        Interlocked.Exchange(ref _healthChanged, 1);
        trigger.Request();
    }

    public async Task RunAsync(CancellationToken ct)
    {
        assignments.Changed += trigger.Request;
        probes.Changed += OnHealthChanged;
        executor.Stopped += OnHealthChanged;
        try
        {
            var engineReachable = true;
            while (!ct.IsCancellationRequested)
            {
                var wait = resync;
                try
                {
                    if (await PassAsync(ct) is { } retryIn && retryIn < wait) wait = retryIn;
                    if (!engineReachable) log.LogInformation("engine reachable again");
                    engineReachable = true;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    if (engineReachable) log.LogWarning("reconcile failed: {Message}; retrying", e.GetBaseException().Message);
                    engineReachable = false;
                }
                Interlocked.Increment(ref _passes);
                try { await trigger.WaitAsync(wait, time, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
        finally
        {
            assignments.Changed -= trigger.Request;
            probes.Changed -= OnHealthChanged;
            executor.Stopped -= OnHealthChanged;
        }
    }

    /// <summary>One reconcile; returns when a deferred restart wants the next pass, if sooner than the resync.</summary>
    private async Task<TimeSpan?> PassAsync(CancellationToken ct)
    {
        var known = assignments.Known;
        var (assigned, revision) = assignments.SnapshotAtRevision();
        var observed = await runtime.ListAsync(ct);
        Volatile.Write(ref _observed, observed);
        var actions = known ? AgentReconciler.Plan(assigned, observed, executor.Records) : LabelledReplicas.KeepRunning(observed);
        if (known)
        {
            executor.Forget(assigned.Select(r => r.Id));
            probes.Sync(assigned, observed, ct);
        }
        var healthChanged = Interlocked.Exchange(ref _healthChanged, 0) == 1;
        var result = actions.Count == 0 ? new ExecutionResult(false, null) : await executor.ExecuteAsync(actions, ct, observed);
        // The engine now matches this revision, unless an action failed (then the next pass tries again).
        if (known && result.Failed == 0) assignments.MarkApplied(revision);
        if (result.Changed || healthChanged) await reporter.ReportAsync(ct);
        return result.RetryIn;
    }
}
