using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Nodes;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Grains;

public sealed class NodeGrain(ClusterStore store, EventRecorder events, IServiceResyncTrigger reconcileLoop, NodeTransitions transitions,
    NodeWatch watch, ControlPlaneOptions options, TimeProvider time) : Grain, INodeGrain
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
            var registered = new NodeInfo
            {
                Name = NodeName,
                Labels = registration.Labels,
                Taints = registration.Taints,
                Capacity = registration.Capacity,
                Address = registration.Address,
                AgentUrl = registration.AgentUrl,
                AgentCertificateSha256 = registration.AgentCertificateSha256,
                AgentVersion = registration.AgentVersion,
                AgentSession = registration.AgentSession,
                State = current?.State ?? NodeState.Ready,
                StateSince = current?.StateSince ?? now,
                Cordoned = current?.Cordoned ?? false,
                RegisteredAt = current?.RegisteredAt ?? now,
                FenceRevision = current?.FenceRevision ?? 0,
                PortsInUse = registration.PortsInUse ?? current?.PortsInUse ?? [],
            };
            return Heard(registered, now, observedRevision: 0);
        });
        if (before is null)
            await events.ClusterEventAsync($"Node/{NodeName}", "Registered",
                $"node {NodeName} registered: cpu {Units.FormatCpu(node.Capacity.MilliCpu)}, memory {Units.FormatMemory(node.Capacity.MemoryBytes)}");
        else if (before.AgentSession != registration.AgentSession)
            await events.ClusterEventAsync($"Node/{NodeName}", "AgentRestarted", $"the agent of node {NodeName} started again");
        await transitions.RecordAsync(before, node);
        // A new node can take what is pending; do not wait for the next periodic pass.
        reconcileLoop.Trigger();
        return node;
    }

    public async Task<NodeInfo?> Heartbeat(NodeHeartbeat heartbeat)
    {
        if (await store.GetNodeAsync(NodeName) is null) return null;
        var now = time.GetUtcNow();
        NodeInfo? before = null;
        var node = await store.UpdateNodeAsync(NodeName, current =>
        {
            before = current;
            return Heard(heartbeat.PortsInUse is { } ports ? current! with { PortsInUse = ports } : current!, now, heartbeat.ObservedRevision);
        });
        await transitions.RecordAsync(before, node);
        // A port another program let go of may let a pending replica be placed; one it took is avoided from now on.
        if (heartbeat.PortsInUse is not null && before is not null && !before.PortsInUse.SequenceEqual(node.PortsInUse)) reconcileLoop.Trigger();
        return node;
    }

    public async Task<NodeInfo?> SetScheduling(bool cordoned, bool draining)
    {
        if (await store.GetNodeAsync(NodeName) is not { } current) return null;
        if (current.Cordoned == cordoned && current.Draining == draining) return current;
        var node = await store.UpdateNodeAsync(NodeName, n => n! with { Cordoned = cordoned, Draining = draining });
        var (reason, message) = (cordoned, draining) switch
        {
            (_, true) => ("NodeDraining", $"node {NodeName} cordoned and draining: each replica is started elsewhere before it stops here"),
            (true, false) => ("NodeCordoned", $"node {NodeName} cordoned: it keeps what it runs and takes nothing new"),
            _ => ("NodeUncordoned", $"node {NodeName} takes new replicas again"),
        };
        await events.ClusterEventAsync($"Node/{NodeName}", reason, message);
        reconcileLoop.Trigger();
        return node;
    }

    private NodeInfo Heard(NodeInfo node, DateTimeOffset now, long observedRevision) =>
        NodeLifecycle.WithStateAt(NodeLifecycle.Heard(node, now, observedRevision), now, watch.Since, options.Nodes);

    public async Task ReportStatus(NodeStatusReport report)
    {
        var changed = report.Replicas
            .Where(s => !_written.TryGetValue(s.ReplicaId, out var last) || !ReplicaStatusEvents.Same(last, s))
            .ToList();
        if (changed.Count == 0) return;
        await store.SaveReplicaStatusesAsync(changed);
        foreach (var s in changed)
        {
            _written.TryGetValue(s.ReplicaId, out var last);
            _written[s.ReplicaId] = s;
            foreach (var e in ReplicaStatusEvents.Between(last, s, NodeName))
                await events.ServiceEventAsync(s.Namespace, s.Service, e.Reason, e.Message, e.Warning);
        }
        // A replica that became ready, stopped or went away may let a rollout or a drain take its next step.
        foreach (var key in changed.Select(s => $"{s.Namespace}/{s.Service}").Distinct())
            await GrainFactory.GetGrain<IServiceGrain>(key).Nudge();
        // Forget replicas the agent no longer reports, so the cache stays the size of what runs here.
        var reported = report.Replicas.Select(r => r.ReplicaId).ToHashSet();
        foreach (var gone in _written.Keys.Where(k => !reported.Contains(k)).ToList()) _written.Remove(gone);
    }
}
