using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Api;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>
/// Removes the volumes of deleted services whose reclaimPolicy was Delete (docs/volumes.md): every few seconds, for each
/// open <see cref="VolumeReclaim"/>, asks every node for its volumes and removes the service's; a request is dropped
/// once every registered node answered and none of them has one left. A volume still mounted (the agent stops the
/// deleted replicas in the background) is refused by the engine and tried again next pass; a node that does not answer
/// keeps the request open until it does. Idempotent, so several control planes may run it at once.
/// </summary>
public sealed class VolumeReclaimLoop(ClusterStore store, AgentClient agents, ControlPlaneLifecycle lifecycle, ILogger<VolumeReclaimLoop> log)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (lifecycle.Stopping) return;
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("volume reclaim pass failed: {Message}", e.GetBaseException().Message);
            }
        }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        var open = await store.ListVolumeReclaimsAsync(ct);
        if (open.Count == 0) return;
        var survey = await VolumeSurvey.TakeAsync(store, agents, ct);
        foreach (var (reclaim, revision) in open)
        {
            // Created again meanwhile: the new service owns whatever volumes it finds; nothing is removed under it.
            if (await store.GetServiceAsync(reclaim.Namespace, reclaim.Service, ct) is not null)
            {
                await store.DeleteVolumeReclaimAsync(reclaim, revision, ct);
                continue;
            }
            var left = survey.Unreachable.Count;
            foreach (var view in survey.Views().Where(v => v.Reported && v.Namespace == reclaim.Namespace
                         && v.Service == reclaim.Service && reclaim.Volumes.Contains(v.Volume)))
            {
                try
                {
                    await agents.RemoveVolumeAsync(survey.Node(view.Node)!, view.Name, ct);
                    log.LogInformation("removed volume {Volume} on node {Node} (service {Namespace}/{Service} deleted, reclaimPolicy Delete)",
                        view.Name, view.Node, reclaim.Namespace, reclaim.Service);
                }
                catch (AgentCallException e)
                {
                    left++;
                    log.LogDebug("volume {Volume} on node {Node} not removed yet: {Message}", view.Name, view.Node, e.Message);
                }
            }
            if (left == 0) await store.DeleteVolumeReclaimAsync(reclaim, revision, ct);
        }
    }
}
