using Orchestrator.ControlPlane.Grains;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>
/// Asks the cluster's <see cref="IServiceResyncGrain"/> for a pass over every service: periodically (every reconcile
/// interval, jittered by up to a tenth either way so that control planes started together do not ask together; the
/// grain passes once per interval for the whole cluster) and whenever something cluster-wide changes here (a node
/// registers). Spec changes reconcile at once from the API; this is what heals what nobody asked about.
/// </summary>
public sealed class ServiceResyncLoop(IGrainFactory grains, ControlPlaneLifecycle lifecycle, ControlPlaneOptions options,
    ILogger<ServiceResyncLoop> log) : BackgroundService, IServiceResyncTrigger
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly Random _jitter = new();

    public void Trigger()
    {
        // Called at every registration (1,000 nodes at once): an exception each time a pass is already due was costly.
        if (_signal.CurrentCount > 0) return;
        try { _signal.Release(); } catch (SemaphoreFullException) { /* a pass is already due */ }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var wait = options.ReconcileInterval * (0.9 + 0.2 * _jitter.NextDouble());
                var asked = await _signal.WaitAsync(wait, stoppingToken);
                if (lifecycle.Stopping) return;
                await grains.GetGrain<IServiceResyncGrain>(0).ReconcileAll(asked);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (TimeoutException)
            {
                // A pass longer than a grain call may wait (a huge apply being placed): it goes on in the grain.
                log.LogInformation("reconcile pass still running after the grain call's time-out; it goes on");
            }
            catch (Exception e)
            {
                log.LogWarning("reconcile pass failed; trying again in {Interval}: {Message}", options.ReconcileInterval, e.GetBaseException().Message);
            }
        }
    }
}
