using Orchestrator.ControlPlane.Grains;
using Orchestrator.ControlPlane.Reconcile;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>
/// Reconciles every service periodically and whenever something cluster-wide changes (a node registers).
/// Spec changes reconcile at once from the API; this loop is what heals what nobody asked about. Each service is
/// reconciled on its own: one that fails (its grain marks it stuck, with the reason) never holds up the others.
/// A service written since the previous pass is left to the reconcile its writer asked for (<see cref="ResyncSelection"/>).
/// </summary>
public sealed class ServiceResyncLoop(IGrainFactory grains, ClusterStore store, ControlPlaneLifecycle lifecycle, ControlPlaneOptions options,
    TimeProvider time, ILogger<ServiceResyncLoop> log) : BackgroundService, IServiceResyncTrigger
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly ResyncSelection _selection = new();

    public void Trigger()
    {
        try { _signal.Release(); } catch (SemaphoreFullException) { /* a pass is already due */ }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(options.ReconcileInterval, stoppingToken);
                if (lifecycle.Stopping) return;
                await ReconcileAllAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "reconcile pass failed; trying again in {Interval}", options.ReconcileInterval);
            }
        }
    }

    private async Task ReconcileAllAsync(CancellationToken ct)
    {
        var clock = time.GetTimestamp();
        // Keys, not objects: a service whose value cannot be read is still visited, and so marked stuck.
        var versions = await store.ListServiceVersionsAsync(ct);
        var services = _selection.Due(versions);
        var failures = await ReconcilePass.RunAsync(services, key => grains.GetGrain<IServiceGrain>(key).Reconcile(null), 8, ct);
        foreach (var (service, error) in failures)
            log.LogWarning("reconcile of service {Service} failed, the others went on: {Message}", service, error.Message);
        Telemetry.ReconcilePassDuration.Record(time.GetElapsedTime(clock).TotalSeconds);
    }
}
