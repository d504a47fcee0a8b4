using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// The placement's one kept <see cref="SchedulingState"/> (Nomad's in-memory state store), brought up to date from
/// the cache before each decision: replicas that appeared, changed or went are added and removed (the cache hands out
/// one record per mod revision, so an unchanged replica is the same object and costs a reference compare); a node
/// whose scheduling facts changed (labels, taints, state, capacity, cordon, ports, ...) makes it rebuild. A lease
/// renewal (heartbeat time, observed revision) changes nothing the scheduler reads and rebuilds nothing.
/// Not thread-safe: its owner (the placement grain) makes one decision at a time.
/// </summary>
public sealed class LiveSchedulingState
{
    private SchedulingState? _state;
    private Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Replica> _counted = new(StringComparer.Ordinal);

    /// <summary>How many times the state was built from scratch (the first time, and after a node changed).</summary>
    public long Rebuilds { get; private set; }

    /// <summary>Replica changes applied to the kept state instead of a rebuild.</summary>
    public long Updates { get; private set; }

    /// <summary>The state for a decision on these nodes and replicas (everything the cache holds).</summary>
    public SchedulingState For(IReadOnlyList<NodeInfo> nodes, IReadOnlyList<Replica> replicas)
    {
        if (_state is null || NodesChanged(nodes)) return Rebuild(nodes, replicas);
        var seen = new HashSet<string>(replicas.Count, StringComparer.Ordinal);
        foreach (var replica in replicas)
        {
            seen.Add(replica.Id);
            if (_counted.TryGetValue(replica.Id, out var counted))
            {
                if (ReferenceEquals(counted, replica)) continue;
                _state.Remove(counted);
            }
            _state.Add(replica);
            _counted[replica.Id] = replica;
            Updates++;
        }
        if (_counted.Count > seen.Count)
            foreach (var gone in _counted.Keys.Where(id => !seen.Contains(id)).ToList())
            {
                _state.Remove(_counted[gone]);
                _counted.Remove(gone);
                Updates++;
            }
        return _state;
    }

    /// <summary>Whether a replica of this id is counted (every replica the cache held at the last decision, and those placed since).</summary>
    public bool Knows(string replicaId) => _counted.ContainsKey(replicaId);

    /// <summary>The placer counted these in the state: they are known by id from now on (the cache's record replaces each).</summary>
    public void Placed(IEnumerable<Replica> stored)
    {
        foreach (var replica in stored) _counted[replica.Id] = replica;
    }

    /// <summary>The placer counted these but they were not stored: take them out again.</summary>
    public void NotStored(IEnumerable<Replica> lost)
    {
        foreach (var replica in lost) _state?.Remove(replica);
    }

    /// <summary>After a failure half-way (etcd away mid-write): what the state counts is unknown, build it again next time.</summary>
    public void Forget() => _state = null;

    private SchedulingState Rebuild(IReadOnlyList<NodeInfo> nodes, IReadOnlyList<Replica> replicas)
    {
        _state = SchedulingState.From(new ClusterSnapshot(nodes, replicas));
        _nodes = nodes.GroupBy(n => n.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _counted.Clear();
        foreach (var replica in replicas) _counted[replica.Id] = replica;
        Rebuilds++;
        return _state;
    }

    private bool NodesChanged(IReadOnlyList<NodeInfo> nodes)
    {
        if (nodes.Count != _nodes.Count) return true;
        foreach (var node in nodes)
        {
            if (!_nodes.TryGetValue(node.Name, out var known)) return true;
            if (ReferenceEquals(known, node)) continue;
            if (!Json.SameContent(WithoutLease(known), WithoutLease(node))) return true;
            _nodes[node.Name] = node;
        }
        return false;
    }

    /// <summary>The node without what a lease renewal changes, none of which a filter or scorer reads.</summary>
    private static NodeInfo WithoutLease(NodeInfo node) =>
        node with { LastHeartbeat = default, ObservedRevision = 0, ResourceVersion = 0, StateSince = default };
}
