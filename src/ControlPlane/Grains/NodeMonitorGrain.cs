using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Nodes;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Grains;

public sealed class NodeMonitorGrain(ClusterStore store, NodeTransitions transitions, NodeWatch watch,
    ControlPlaneOptions options, TimeProvider time, ILogger<NodeMonitorGrain> log) : Grain, INodeMonitorGrain
{
    public async Task<int> Check()
    {
        var now = time.GetUtcNow();
        var changed = 0;
        foreach (var node in await store.ListNodesAsync())
        {
            if (NodeLifecycle.StateOf(node, now, watch.Since, options.Nodes) == node.State) continue;
            // Each node on its own: one whose update fails is tried again next check, the others are not held up.
            try
            {
                NodeInfo? before = null;
                var after = await store.UpdateNodeAsync(node.Name, current =>
                {
                    before = current;
                    return NodeLifecycle.WithStateAt(current!, time.GetUtcNow(), watch.Since, options.Nodes);
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
