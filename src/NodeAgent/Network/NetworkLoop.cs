using Microsoft.Extensions.Logging;
using Orchestrator.NodeAgent.ControlPlane;

namespace Orchestrator.NodeAgent.Network;

/// <summary>
/// Every interval: the nodes as the control plane knows them (their subnets and addresses) and every service's endpoints
/// -> <see cref="NetworkPlan"/> -> <see cref="ClusterNetwork"/> (routes, balancing rules, the DNS answers). A control plane out of reach changes nothing: routes and rules stay as they were.
/// </summary>
public sealed class NetworkLoop(ControlPlaneClient client, ClusterNetwork network, string cluster, string node, string mode, TimeSpan interval,
    TimeProvider time, ILogger<NetworkLoop> log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        string? failing = null;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                var nodes = await client.ListNodesAsync(ct);
                var services = await client.ListEndpointsAsync(ct);
                if (NetworkPlan.For(cluster, node, nodes, mode) is { } plan) await network.ApplyAsync(plan with { Services = services }, ct);
                if (failing is not null) log.LogInformation("cluster network in line again");
                failing = null;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // Logged when the reason changes, not every interval.
                var message = e.GetBaseException().Message;
                if (message != failing) log.LogWarning("cluster network not brought in line: {Message}", message);
                failing = message;
            }
        } while (await WaitAsync(timer, ct));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }
}
