using Microsoft.Extensions.Logging;
using Orchestrator.NodeAgent.ControlPlane;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Loop;

/// <summary>
/// Turns engine events of this cluster's containers into reconcile requests, so that a container that died or
/// was removed behind the agent's back (docker rm -f) is repaired within about a second, not a resync interval.
/// </summary>
public sealed class EngineEventWatch(IContainerRuntime runtime, ReconcileTrigger trigger, TimeProvider time, ILogger<EngineEventWatch> log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = Backoff.Reconnect();
        var healthy = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Events missed while disconnected are covered by one reconcile on (re)connecting.
                trigger.Request();
                await foreach (var e in runtime.WatchAsync(ct))
                {
                    if (!healthy) log.LogInformation("engine events flowing again");
                    healthy = true;
                    backoff.Reset();
                    log.LogDebug("engine event {Action} for {ContainerId} (replica {Replica})", e.Action, e.ContainerId, e.ReplicaId);
                    trigger.Request();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (healthy) log.LogWarning("engine event watch: {Message}; reconnecting", e.GetBaseException().Message);
                healthy = false;
            }
            try { await Task.Delay(backoff.Next(), time, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
