using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// The cluster as the control plane saw it when it asked for placements.
/// <paramref name="Replicas"/> is every replica currently assigned anywhere: its container's cpu, memory
/// and host ports count as allocated on <see cref="Replica.Node"/>. Replicas on nodes not in
/// <paramref name="Nodes"/> are ignored (the node is gone, so nothing there can collide).
/// </summary>
public sealed record ClusterSnapshot(IReadOnlyList<NodeInfo> Nodes, IReadOnlyList<Replica> Replicas);
