using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Nodes;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// Judges every node's silence, once per check interval (one activation per cluster). Silence is counted only while
/// this activation could have heard the node: never from before it was activated (a restart, a failover to another
/// silo), never across a gap in its own checks (etcd unreachable, the process starved), and never while its control
/// plane is stopping: in each case the silence is the control plane's, not the node's.
/// </summary>
public sealed class NodeMonitorGrain(ClusterStore store, NodeTransitions transitions, NodeWatch watch,
    ControlPlaneLifecycle lifecycle, ControlPlaneOptions options, TimeProvider time, ILogger<NodeMonitorGrain> log) : Grain, INodeMonitorGrain
{
    private DateTimeOffset _hearingSince;
    private DateTimeOffset? _lastCheck;

    public override Task OnActivateAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        _hearingSince = now > watch.Since ? now : watch.Since;
        return Task.CompletedTask;
    }

    /// <summary>A pause between two checks longer than this means the monitor was deaf for a while.</summary>
    private TimeSpan GapTolerance => options.Nodes.CheckInterval * 4 + TimeSpan.FromSeconds(1);

    public async Task<int> Check()
    {
        if (lifecycle.Stopping) return 0;
        // Heartbeats written through any control plane count: the cache is brought up to etcd's revision first.
        await store.SyncAsync();
        var nodes = await store.ListNodesAsync();
        var now = time.GetUtcNow();
        if (_lastCheck is { } last && now - last > GapTolerance)
        {
            _hearingSince = now;
            log.LogWarning("node checks resumed after {Gap:0.0}s without one (etcd unreachable or the control plane stalled); " +
                "node silence is counted from now", (now - last).TotalSeconds);
        }
        _lastCheck = now;
        var changed = 0;
        foreach (var node in nodes)
        {
            if (lifecycle.Stopping) break;
            if (NodeLifecycle.StateOf(node, now, _hearingSince, options.Nodes) == node.State) continue;
            // Each node on its own: one whose update fails is tried again next check, the others are not held up.
            try
            {
                NodeInfo? before = null;
                var after = await store.UpdateNodeAsync(node.Name, current =>
                {
                    before = current;
                    return NodeLifecycle.WithStateAt(current!, time.GetUtcNow(), _hearingSince, options.Nodes);
                });
                if (await transitions.RecordAsync(before, after)) changed++;
            }
            catch (Exception e)
            {
                log.LogWarning("check of node {Node} failed, the others went on: {Message}", node.Name, e.GetBaseException().Message);
            }
        }
        return changed;
    }
}
