using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Nodes;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// Keeps an activation of every stored node's grain (one monitor per cluster). Each <see cref="NodeGrain"/> judges its
/// own node's silence on its own timer, from the heartbeats it holds in memory; what this adds is that a node whose
/// agent is silent still has a grain to judge it: after a control plane stopped or died, its nodes' grains are
/// activated again elsewhere by the next visit, and count silence from then. Only nodes whose lease lapsed are visited
/// (<see cref="NodeLease.Lapsed"/>): a live node's grain renews it, and 1,000 visits every half second (two thirds of
/// them to other silos) cost as much as the heartbeats themselves, and activated on this silo grains whose agents
/// talk to another control plane.
/// Every control plane's loop asks once per check interval; the grain visits once per interval for the cluster (a
/// request soon after the last visit is another control plane's, and answered with nothing done), so that three
/// control planes do not visit every node three times.
/// </summary>
public sealed class NodeMonitorGrain(ClusterStore store, ControlPlaneLifecycle lifecycle, ControlPlaneOptions options, TimeProvider time,
    ILogger<NodeMonitorGrain> log) : Grain, INodeMonitorGrain
{
    private long? _lastVisit;

    public async Task<int> Check()
    {
        if (lifecycle.Stopping) return 0;
        if (_lastVisit is { } last && time.GetElapsedTime(last) < options.Nodes.CheckInterval / 2) return 0;
        _lastVisit = time.GetTimestamp();
        // Nodes registered through any control plane count: the cache is brought up to etcd's revision first.
        await store.SyncAsync();
        var now = time.GetUtcNow();
        var nodes = (await store.ListNodesAsync()).Where(n => NodeLease.Lapsed(n, now, options.Nodes));
        var visits = nodes.Select(async node =>
        {
            // Each node on its own: one whose grain cannot be reached now is visited again next check.
            try
            {
                await GrainFactory.GetGrain<INodeGrain>(node.Name).Watch();
                return 1;
            }
            catch (Exception e)
            {
                log.LogWarning("node {Node}: its grain could not be reached, visited again next check: {Message}", node.Name, e.GetBaseException().Message);
                return 0;
            }
        });
        return (await Task.WhenAll(visits)).Sum();
    }
}
