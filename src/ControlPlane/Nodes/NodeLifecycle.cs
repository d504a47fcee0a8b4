using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Nodes;

/// <summary>How long a silent node is trusted (section "ControlPlane:Nodes").</summary>
public sealed class NodeLifecycleOptions
{
    /// <summary>Silence after which a node takes nothing new (Kubernetes: 40 s; ours: 5 heartbeats).</summary>
    public TimeSpan NotReadyAfter { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Silence after which a node's replicas are replaced elsewhere (Kubernetes: about 5 min more; Swarm: about 15 s).</summary>
    public TimeSpan DownAfter { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How often every node's silence is looked at.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>
    /// How often a heartbeat renews the node's stored heartbeat time when nothing else changed (Kubernetes' node Lease:
    /// 10 s). Liveness itself is judged in memory by the node's grain; this only bounds the age a reader sees.
    /// </summary>
    public TimeSpan LeaseRenewal { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (NotReadyAfter < TimeSpan.FromSeconds(1)) yield return $"Nodes:NotReadyAfter: must be at least 1s (a heartbeat is 1s), got {NotReadyAfter}";
        if (DownAfter < NotReadyAfter) yield return $"Nodes:DownAfter: must be at least NotReadyAfter ({NotReadyAfter}), got {DownAfter}";
        if (CheckInterval < TimeSpan.FromMilliseconds(100) || CheckInterval > NotReadyAfter)
            yield return $"Nodes:CheckInterval: must be from 100ms to NotReadyAfter, got {CheckInterval}";
        if (LeaseRenewal < TimeSpan.FromSeconds(1) || LeaseRenewal > TimeSpan.FromMinutes(5))
            yield return $"Nodes:LeaseRenewal: must be from 1s to 5m, got {LeaseRenewal}";
    }
}

/// <summary>
/// A node's state as a pure function of what is stored about it and the time:
/// Ready -> NotReady (silent for NotReadyAfter) -> Down (silent for DownAfter; its replicas are replaced).
/// A node that speaks again within the grace is simply Ready again and keeps its replicas. When replicas of a Down
/// node are replaced, the node is fenced at the revision of their removal: it stays NotReady until its agent has
/// applied that revision (stopped them), so it never counts while it still runs replicas that were replaced.
/// </summary>
public static class NodeLifecycle
{
    /// <param name="watchingSince">
    /// When this control plane began watching: silence is never counted from before it, so a restarted control plane
    /// (whose stored heartbeats are as old as its own outage) does not declare every node Down at once.
    /// </param>
    public static NodeState StateOf(NodeInfo node, DateTimeOffset now, DateTimeOffset watchingSince, NodeLifecycleOptions options)
    {
        var lastHeard = node.LastHeartbeat > watchingSince ? node.LastHeartbeat : watchingSince;
        var silence = now - lastHeard;
        if (silence >= options.DownAfter) return NodeState.Down;
        if (silence >= options.NotReadyAfter) return node.State == NodeState.Down ? NodeState.Down : NodeState.NotReady;
        if (node.ObservedRevision < node.FenceRevision) return NodeState.NotReady;
        return NodeState.Ready;
    }

    /// <summary>The node after a heartbeat carrying the revision its agent has applied.</summary>
    public static NodeInfo Heard(NodeInfo node, DateTimeOffset now, long observedRevision) =>
        node with { LastHeartbeat = now, ObservedRevision = observedRevision };

    /// <summary>Applies <see cref="StateOf"/>; the state-since time moves only when the state changes.</summary>
    public static NodeInfo WithStateAt(NodeInfo node, DateTimeOffset now, DateTimeOffset watchingSince, NodeLifecycleOptions options)
    {
        var state = StateOf(node, now, watchingSince, options);
        return state == node.State ? node : node with { State = state, StateSince = now };
    }
}
