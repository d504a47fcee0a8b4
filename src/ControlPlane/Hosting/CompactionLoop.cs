using Orchestrator.ControlPlane.Grains;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>Asks the cluster's compactor to look, a few times per compaction interval (it acts at most once an interval).</summary>
public sealed class CompactionLoop(IGrainFactory grains, ControlPlaneOptions options, ControlPlaneLifecycle lifecycle, ILogger<CompactionLoop> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.CompactionInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.CompactionInterval / 4);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (lifecycle.Stopping) return;
            try
            {
                await grains.GetGrain<IEtcdCompactorGrain>(0).Tick();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("etcd compaction failed: {Message}", e.GetBaseException().Message);
            }
        }
    }
}
