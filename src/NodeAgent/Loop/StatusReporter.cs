using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.ControlPlane;
using Orchestrator.NodeAgent.Health;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Loop;

/// <summary>
/// Reports the observed status of every assigned replica (POST /api/v1/nodes/{name}/status): after a reconcile
/// that changed something and every status interval. Reports are serialized so that an older one never
/// arrives after a newer one; a failed report is only logged, the next one carries the whole truth anyway.
/// </summary>
public sealed class StatusReporter(
    ControlPlaneClient client, IContainerRuntime runtime, AssignmentSet assignments, ActionExecutor executor, ProbeSupervisor probes,
    AgentSession session, string node, TimeProvider time, ILogger<StatusReporter> log)
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private bool _reachable = true;

    /// <summary>The last report built, sent or not; what /healthz shows.</summary>
    public NodeStatusReport? Last { get; private set; }

    public async Task ReportAsync(CancellationToken ct)
    {
        if (!assignments.Known) return;
        await _one.WaitAsync(ct);
        try
        {
            var observed = await runtime.ListAsync(ct);
            var report = new NodeStatusReport
            {
                AgentSession = session.Id,
                Replicas = ReplicaStatuses.Build(assignments.Snapshot(), observed, executor.Records, node, time.GetUtcNow(), probes.Health),
            };
            Last = report;
            await client.ReportStatusAsync(report, ct);
            _reachable = true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            if (_reachable) log.LogWarning("status report failed: {Message}", e.GetBaseException().Message);
            _reachable = false;
        }
        finally
        {
            _one.Release();
        }
    }

    public async Task RunAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) await ReportAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }
}
