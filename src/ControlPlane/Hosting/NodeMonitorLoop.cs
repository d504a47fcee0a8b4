using Orchestrator.ControlPlane.Grains;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>Asks the cluster's node monitor grain to visit every node's grain, once per check interval.</summary>
public sealed class NodeMonitorLoop(IGrainFactory grains, ControlPlaneOptions options, ILogger<NodeMonitorLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Nodes.CheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await grains.GetGrain<INodeMonitorGrain>(0).Check();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("node check failed: {Message}", e.GetBaseException().Message);
            }
        }
    }
}
