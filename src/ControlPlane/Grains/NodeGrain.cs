using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Nodes;
using Orchestrator.ControlPlane.Storage;
using Orleans.Placement;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// One node: its registration, heartbeats (liveness in memory, the lease in etcd), status reports and the judgement of
/// its silence. Activated on the silo whose API the agent called (<see cref="PreferLocalPlacementAttribute"/>): an
/// agent's heartbeats and reports then cost no call to another silo, where random placement sent two thirds of them
/// across with three control planes.
/// </summary>
[PreferLocalPlacement]
public sealed class NodeGrain(ClusterStore store, EventRecorder events, IServiceResyncTrigger reconcileLoop, NodeTransitions transitions,
    NodeWatch watch, ControlPlaneLifecycle lifecycle, ControlPlaneOptions options, TimeProvider time, ILogger<NodeGrain> log) : Grain, INodeGrain
{
    private string NodeName => this.GetPrimaryKeyString();
    private DateTimeOffset _lastHeard;
    private DateTimeOffset _hearingSince;
    private DateTimeOffset? _lastJudged;

    /// <summary>The last status written per replica, so that an unchanged report costs no etcd write.</summary>
    private readonly Dictionary<string, ReplicaStatus> _written = new();

    public async Task<NodeInfo> Register(NodeRegistration registration)
    {
        var now = time.GetUtcNow();
        _lastHeard = now;
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
                Subnet = current?.Subnet ?? "",
            };
            return Heard(registered, now, observedRevision: 0);
        });
        if (before is null)
            await events.ClusterEventAsync($"Node/{NodeName}", "Registered",
                $"node {NodeName} registered: cpu {Units.FormatCpu(node.Capacity.MilliCpu)}, memory {Units.FormatMemory(node.Capacity.MemoryBytes)}");
        else if (before.AgentSession != registration.AgentSession)
            await events.ClusterEventAsync($"Node/{NodeName}", "AgentRestarted", $"the agent of node {NodeName} started again");
        await transitions.RecordAsync(before, node);
        node = await TakeSubnetAsync(node);
        // A new node can take what is pending; do not wait for the next periodic pass.
        reconcileLoop.Trigger();
        return node;
    }

    /// <summary>The node's share of the cluster network, allocated once and kept across registrations (docs/networking.md).</summary>
    private async Task<NodeInfo> TakeSubnetAsync(NodeInfo node)
    {
        if (node.Subnet.Length > 0) return node;
        var range = Ipv4Subnet.Parse(options.ClusterCidr);
        var allocated = await store.AllocateNodeSubnetAsync(NodeName, range) ?? node;
        if (allocated.Subnet.Length > 0)
            await events.ClusterEventAsync($"Node/{NodeName}", "SubnetAllocated",
                $"node {NodeName} holds subnet {allocated.Subnet} of the cluster network {range}");
        else
            await events.ClusterEventAsync($"Node/{NodeName}", "NoSubnet",
                $"node {NodeName} got no subnet: every /{NodeSubnets.PrefixLength} of {range} is held; its replicas cannot join the cluster network");
        return allocated;
    }

    public async Task<NodeInfo?> Heartbeat(NodeHeartbeat heartbeat)
    {
        if (await store.GetNodeAsync(NodeName) is not { } stored) return null;
        var now = time.GetUtcNow();
        _lastHeard = now;
        var heard = Heard(heartbeat.PortsInUse is { } ports ? stored with { PortsInUse = ports } : stored, now, heartbeat.ObservedRevision);
        // Liveness is kept here, in memory; the record is written only when what it says changes, or to renew the
        // heartbeat time it carries (the lease) for whoever reads it after this activation (a takeover, the views).
        if (!NodeLease.NeedsWrite(stored, heard, options.Nodes.LeaseRenewal)) return heard;
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

    /// <summary>Starts judging this node's silence (the node monitor calls it for every stored node, so that each has an activation).</summary>
    public Task Watch() => Task.CompletedTask;

    public override Task OnActivateAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Silence is counted only while this activation could have heard the node: never from before it (a restart,
        // a takeover from a silo that stopped or died), so the lease's age is never held against the node.
        _hearingSince = now > watch.Since ? now : watch.Since;
        this.RegisterGrainTimer(JudgeAsync, new GrainTimerCreationOptions(options.Nodes.CheckInterval, options.Nodes.CheckInterval) { Interleave = false });
        return Task.CompletedTask;
    }

    /// <summary>A pause between two judgements longer than this means this activation was deaf for a while.</summary>
    private TimeSpan GapTolerance => options.Nodes.CheckInterval * 4 + TimeSpan.FromSeconds(1);

    /// <summary>Moves a silent node to NotReady and Down (and writes that), on this grain's own timer.</summary>
    private async Task JudgeAsync(CancellationToken ct)
    {
        if (lifecycle.Stopping) return;
        var now = time.GetUtcNow();
        if (_lastJudged is { } last && now - last > GapTolerance)
        {
            _hearingSince = now;
            log.LogWarning("node {Node}: judged again after {Gap:0.0}s without (the control plane stalled); its silence is counted from now",
                NodeName, (now - last).TotalSeconds);
        }
        _lastJudged = now;
        if (await store.GetNodeAsync(NodeName, ct) is not { } stored) return;
        if (NodeLifecycle.StateOf(Live(stored), now, _hearingSince, options.Nodes) == stored.State) return;
        try
        {
            NodeInfo? before = null;
            var after = await store.UpdateNodeAsync(NodeName, current =>
            {
                before = current;
                return NodeLifecycle.WithStateAt(Live(current!), time.GetUtcNow(), _hearingSince, options.Nodes);
            }, ct);
            await transitions.RecordAsync(before, after);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning("node {Node}: judging its silence failed, tried again next time: {Message}", NodeName, e.GetBaseException().Message);
        }
    }

    /// <summary>The stored node with the last heartbeat this activation heard, when newer than the lease.</summary>
    private NodeInfo Live(NodeInfo stored) => _lastHeard > stored.LastHeartbeat ? stored with { LastHeartbeat = _lastHeard } : stored;

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
        // Only what was stored counts as said: a status dropped (its replica not found, or changed meanwhile) goes again
        // with the next report instead of being taken as written and never sent while it stays the same.
        changed = [.. await store.SaveReplicaStatusesAsync(changed)];
        if (changed.Count == 0) return;
        // Events name a replica as every other view does (web.1.px9r2x); each name comes from the cache, by its key.
        var names = new Dictionary<string, string>();
        foreach (var s in changed)
            if (await store.GetReplicaAsync(s.Namespace, s.Service, s.ReplicaId) is { } r)
                names[r.Id] = r.ContainerName;
        var said = new List<(string, string, StatusEvent)>();
        foreach (var s in changed)
        {
            _written.TryGetValue(s.ReplicaId, out var last);
            _written[s.ReplicaId] = s;
            said.AddRange(ReplicaStatusEvents.Between(last, s, NodeName, names.GetValueOrDefault(s.ReplicaId)).Select(e => (s.Namespace, s.Service, e)));
        }
        foreach (var (ns, service, e) in ReplicaStatusEvents.PerService(said))
            await events.ServiceEventAsync(ns, service, e.Reason, e.Message, e.Warning);
        // A replica that became ready, stopped or went away may let a rollout or a drain take its next step.
        foreach (var key in changed.Select(s => $"{s.Namespace}/{s.Service}").Distinct())
            await GrainFactory.GetGrain<IServiceGrain>(key).Nudge();
        // Forget replicas the agent no longer reports, so the cache stays the size of what runs here.
        var reported = report.Replicas.Select(r => r.ReplicaId).ToHashSet();
        foreach (var gone in _written.Keys.Where(k => !reported.Contains(k)).ToList()) _written.Remove(gone);
    }
}
