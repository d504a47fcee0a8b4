using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// The cluster as the scheduler works on it, built once from a <see cref="ClusterSnapshot"/> and then kept up to date:
/// every placement the <see cref="Placer"/> makes is committed here, and the control plane adds or removes replicas as
/// they change, so an evaluation no longer pays O(replicas) to rebuild what the last one knew.
/// Per node: allocated cpu and memory, bound host ports. Per service: replicas per node. Per label set: replicas per node
/// (what affinity terms count). Per topology key: each node's domain (built on first use).
/// A node joining, leaving or changing labels, taints or state needs a new state: nodes change rarely, replicas often.
/// Not thread-safe: one writer at a time, and one <see cref="PlacementContext"/> at a time (they share scratch arrays).
/// </summary>
public sealed class SchedulingState
{
    private readonly NodeCandidate[] _nodes;
    private readonly Dictionary<string, NodeCandidate> _byName;
    private readonly Dictionary<ServiceKey, Dictionary<int, int>> _services = new();
    private readonly Dictionary<string, LabelGroup> _labelGroups = new(StringComparer.Ordinal);
    // (key, value) -> label groups carrying it: a selector is resolved from its first entry's groups, not from all.
    private readonly Dictionary<(string Key, string Value), List<LabelGroup>> _groupsByLabel = new();
    private readonly Dictionary<string, TopologyIndex> _topologies = new(StringComparer.Ordinal);
    // The label group each service's replicas had last: replicas of one service nearly always carry the same labels,
    // so comparing against it spares building a sorted key per replica (what made a rebuild of 150,000 replicas slow).
    private readonly Dictionary<ServiceKey, LabelGroup> _lastGroup = new();

    private SchedulingState(NodeCandidate[] nodes, Dictionary<string, NodeCandidate> byName)
    {
        _nodes = nodes;
        _byName = byName;
        ServiceCountScratch = new int[nodes.Length];
        EligibleScratch = new bool[nodes.Length];
        PreferNoScheduleNodes = nodes.Count(n => n.HasPreferNoSchedule);
    }

    /// <summary>Every node, ordered by name, so that the order of the snapshot never changes a decision.</summary>
    public IReadOnlyList<NodeCandidate> Nodes => _nodes;

    internal NodeCandidate[] NodeArray => _nodes;

    /// <summary>Reused by each <see cref="PlacementContext"/> for the requested service's replicas per node.</summary>
    internal int[] ServiceCountScratch { get; }

    /// <summary>Reused by each <see cref="PlacementContext"/> with topology spread: which nodes could ever take the replica.</summary>
    internal bool[] EligibleScratch { get; }

    internal int PreferNoScheduleNodes { get; }

    public NodeCandidate? Node(string name) => _byName.GetValueOrDefault(name);

    public static SchedulingState From(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        // The first of a repeated name wins, as in the snapshot order.
        var infos = new Dictionary<string, NodeInfo>(snapshot.Nodes.Count, StringComparer.Ordinal);
        foreach (var info in snapshot.Nodes) infos.TryAdd(info.Name, info);
        var nodes = infos.Values.OrderBy(n => n.Name, StringComparer.Ordinal).Select((info, i) => new NodeCandidate(info, i)).ToArray();
        var state = new SchedulingState(nodes, nodes.ToDictionary(n => n.Name, StringComparer.Ordinal));
        foreach (var replica in snapshot.Replicas) state.Add(replica);
        return state;
    }

    /// <summary>Counts a replica where it is assigned; one on a node the state does not know is ignored (the node is gone).</summary>
    public void Add(Replica replica) => Apply(replica, +1);

    /// <summary>Forgets a replica that was stopped or moved; the reverse of <see cref="Add"/>.</summary>
    public void Remove(Replica replica) => Apply(replica, -1);

    private void Apply(Replica replica, int sign)
    {
        ArgumentNullException.ThrowIfNull(replica);
        if (!_byName.TryGetValue(replica.Node, out var node)) return;
        var service = new ServiceKey(replica.Namespace, replica.Service);
        LabelGroup? group = null;
        if (replica.Labels.Count > 0 && (!_lastGroup.TryGetValue(service, out group) || !group.HasExactly(replica.Labels)))
            _lastGroup[service] = group = GroupOf(replica.Namespace, replica.Labels);
        Count(node, replica.Container, service, group, sign);
    }

    /// <summary>What committing one replica changes; the placer calls it with the request's service and label group.</summary>
    internal void Count(NodeCandidate node, ContainerSpec container, ServiceKey service, LabelGroup? group, int sign)
    {
        node.Allocate(container, sign);
        Bump(ServiceNodes(service), node.Index, sign);
        if (group is not null) Bump(group.PerNode, node.Index, sign);
    }

    internal Dictionary<int, int> ServiceNodes(ServiceKey service)
    {
        if (!_services.TryGetValue(service, out var perNode)) _services[service] = perNode = new Dictionary<int, int>();
        return perNode;
    }

    /// <summary>The group of replicas with these labels in this namespace, created on first use.</summary>
    internal LabelGroup GroupOf(string ns, IReadOnlyDictionary<string, string> labels)
    {
        var key = LabelGroup.KeyOf(ns, labels);
        if (_labelGroups.TryGetValue(key, out var group)) return group;
        group = new LabelGroup(ns, new Dictionary<string, string>(labels, StringComparer.Ordinal));
        _labelGroups[key] = group;
        foreach (var label in group.Labels)
        {
            if (!_groupsByLabel.TryGetValue((label.Key, label.Value), out var groups)) _groupsByLabel[(label.Key, label.Value)] = groups = new();
            groups.Add(group);
        }
        return group;
    }

    /// <summary>Label groups of the namespace whose labels carry every entry of a non-empty selector.</summary>
    internal IEnumerable<LabelGroup> Matching(string ns, IReadOnlyDictionary<string, string> selector)
    {
        if (selector.Count == 0) yield break;
        var first = selector.First();
        if (!_groupsByLabel.TryGetValue((first.Key, first.Value), out var groups)) yield break;
        foreach (var group in groups)
            if (group.Matches(ns, selector)) yield return group;
    }

    public TopologyIndex Topology(string key)
    {
        if (!_topologies.TryGetValue(key, out var index)) _topologies[key] = index = TopologyIndex.Build(key, _nodes);
        return index;
    }

    private static void Bump(Dictionary<int, int> counts, int node, int sign)
    {
        var count = counts.GetValueOrDefault(node) + sign;
        if (count > 0) counts[node] = count;
        else counts.Remove(node);
    }
}
