using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Grains;

public sealed class NodeGrain(ClusterStore store, EventRecorder events, ReconcileLoop reconcileLoop, TimeProvider time) : Grain, INodeGrain
{
    private string NodeName => this.GetPrimaryKeyString();

    /// <summary>The last status written per replica, so that an unchanged report costs no etcd write.</summary>
    private readonly Dictionary<string, ReplicaStatus> _written = new();

    public async Task<NodeInfo> Register(NodeRegistration registration)
    {
        var now = time.GetUtcNow();
        NodeInfo? before = null;
        var node = await store.UpdateNodeAsync(NodeName, current =>
        {
            before = current;
            return new NodeInfo
            {
                Name = NodeName,
                Labels = registration.Labels,
                Taints = registration.Taints,
                Capacity = registration.Capacity,
                Address = registration.Address,
                AgentVersion = registration.AgentVersion,
                AgentSession = registration.AgentSession,
                State = NodeState.Ready,
                Cordoned = current?.Cordoned ?? false,
                RegisteredAt = current?.RegisteredAt ?? now,
                LastHeartbeat = now,
            };
        });
        if (before is null)
            await events.ClusterEventAsync($"Node/{NodeName}", "Registered",
                $"node {NodeName} registered: cpu {Units.FormatCpu(node.Capacity.MilliCpu)}, memory {Units.FormatMemory(node.Capacity.MemoryBytes)}");
        else if (before.AgentSession != registration.AgentSession)
            await events.ClusterEventAsync($"Node/{NodeName}", "AgentRestarted", $"the agent of node {NodeName} started again");
        // A new node can take what is pending; do not wait for the next periodic pass.
        reconcileLoop.Trigger();
        return node;
    }

    public async Task<NodeInfo?> Heartbeat(NodeHeartbeat heartbeat)
    {
        if (await store.GetNodeAsync(NodeName) is null) return null;
        var now = time.GetUtcNow();
        return await store.UpdateNodeAsync(NodeName, current => current! with { LastHeartbeat = now, State = NodeState.Ready });
    }

    public async Task ReportStatus(NodeStatusReport report)
    {
        var changed = report.Replicas
            .Where(s => !_written.TryGetValue(s.ReplicaId, out var last) || !SameObservation(last, s))
            .ToList();
        if (changed.Count == 0) return;
        await store.SaveReplicaStatusesAsync(changed);
        foreach (var s in changed)
        {
            _written.TryGetValue(s.ReplicaId, out var last);
            _written[s.ReplicaId] = s;
            if (last?.State == s.State && last.ContainerId == s.ContainerId) continue;
            await RecordTransitionAsync(s);
        }
        // Forget replicas the agent no longer reports, so the cache stays the size of what runs here.
        var reported = report.Replicas.Select(r => r.ReplicaId).ToHashSet();
        foreach (var gone in _written.Keys.Where(k => !reported.Contains(k)).ToList()) _written.Remove(gone);
    }

    private Task RecordTransitionAsync(ReplicaStatus s)
    {
        var container = s.ContainerId is null ? "" : $" (container {s.ContainerId[..Math.Min(12, s.ContainerId.Length)]})";
        return s.State switch
        {
            ReplicaState.Running => events.ServiceEventAsync(s.Namespace, s.Service, "Started", $"replica {s.ReplicaId} running on {NodeName}{container}"),
            ReplicaState.Exited => events.ServiceEventAsync(s.Namespace, s.Service, "Exited",
                $"replica {s.ReplicaId} on {NodeName} exited with code {s.ExitCode}{container}", warning: s.ExitCode != 0),
            ReplicaState.Failed => events.ServiceEventAsync(s.Namespace, s.Service, "Failed",
                $"replica {s.ReplicaId} on {NodeName} failed: {s.Message}", warning: true),
            _ => Task.CompletedTask,
        };
    }

    private static bool SameObservation(ReplicaStatus a, ReplicaStatus b) =>
        Json.SameContent(a with { ObservedAt = default }, b with { ObservedAt = default });
}
