using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Api;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>One service's replica counts as the gauges report them.</summary>
public sealed record ServiceGauge(string Namespace, string Service, int Desired, int Running, int Ready, int Pending);

/// <summary>One node's lifecycle and resources as the gauges report them; cpu in cores, memory in bytes.</summary>
public sealed record NodeGauge(string Node, DateTimeOffset LastHeartbeat,
    double CpuAllocatable, double CpuAllocated, long MemoryAllocatable, long MemoryAllocated);

/// <summary>
/// The values of every cluster-state gauge, computed at once from one read of etcd, so that a scrape reads memory only.
/// Replica counts go through <see cref="ServiceViews.Status"/>: /metrics and `orc get services` never disagree.
/// </summary>
public sealed record ClusterGauges(
    IReadOnlyList<ServiceGauge> Services,
    IReadOnlyDictionary<NodeState, int> NodesByState,
    int CordonedNodes,
    IReadOnlyList<NodeGauge> Nodes)
{
    public static readonly ClusterGauges Empty = From([], [], [], []);

    public static ClusterGauges From(IReadOnlyList<ServiceObject> services, IReadOnlyList<Replica> replicas,
        IReadOnlyList<ReplicaStatus> statuses, IReadOnlyList<NodeInfo> nodes)
    {
        var byService = replicas.ToLookup(r => r.ServiceKey);
        var statusById = statuses.GroupBy(s => s.ReplicaId).ToDictionary(g => g.Key, g => g.Last());
        var serviceGauges = services
            .OrderBy(s => s.Metadata.Namespace, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal)
            .Select(s =>
            {
                var status = ServiceViews.Status(s, byService[s.Key].ToList(), statusById, conditions: null);
                return new ServiceGauge(s.Metadata.Namespace, s.Metadata.Name, status.Desired, status.Running, status.Ready, status.Pending);
            })
            .ToList();

        // Every state is reported, with 0 when no node is in it, so that a dashboard sees a node leave a state.
        var byState = Enum.GetValues<NodeState>().ToDictionary(s => s, s => nodes.Count(n => n.State == s));

        var byNode = replicas.ToLookup(r => r.Node);
        var nodeGauges = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).Select(n => new NodeGauge(
            n.Name, n.LastHeartbeat,
            n.Capacity.MilliCpu / 1000.0, byNode[n.Name].Sum(r => r.Container.MilliCpu) / 1000.0,
            n.Capacity.MemoryBytes, byNode[n.Name].Sum(r => r.Container.MemoryBytes))).ToList();

        return new ClusterGauges(serviceGauges, byState, nodes.Count(n => n.Cordoned), nodeGauges);
    }
}
