using Microsoft.Extensions.Logging;
using Orchestrator.NodeAgent.ControlPlane;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Loop;

/// <summary>
/// Runs one reconcile at a time: when the assignments change, when the engine reports an event (both through
/// the <see cref="ReconcileTrigger"/>), when a deferred restart is due, and every resync interval as a safety net.
/// Before the first sync only crashed containers are started again (<see cref="LabelledReplicas"/>): an unknown
/// assignment set must not read as "remove everything".
/// </summary>
public sealed class ReconcileLoop(
    IContainerRuntime runtime, AssignmentSet assignments, ActionExecutor executor, StatusReporter reporter,
    ReconcileTrigger trigger, TimeSpan resync, TimeProvider time, ILogger<ReconcileLoop> log)
{
    /// <summary>Completed passes; tests and /healthz use it to see the loop is alive.</summary>
    public long Passes => Interlocked.Read(ref _passes);
    private long _passes;

    public async Task RunAsync(CancellationToken ct)
    {
        assignments.Changed += trigger.Request;
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
        }
    }

    /// <summary>One reconcile; returns when a deferred restart wants the next pass, if sooner than the resync.</summary>
    private async Task<TimeSpan?> PassAsync(CancellationToken ct)
    {
        var known = assignments.Known;
        var (assigned, revision) = assignments.SnapshotAtRevision();
        var observed = await runtime.ListAsync(ct);
        var actions = known ? AgentReconciler.Plan(assigned, observed) : LabelledReplicas.KeepRunning(observed);
        if (known) executor.Forget(assigned.Select(r => r.Id));
        if (actions.Count == 0)
        {
            if (known) assignments.MarkApplied(revision);
            return null;
        }
        var result = await executor.ExecuteAsync(actions, ct);
        if (known && result.Failed == 0) assignments.MarkApplied(revision);
        if (result.Changed) await reporter.ReportAsync(ct);
        return result.RetryIn;
    }
}
