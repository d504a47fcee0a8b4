using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// The working state of one node during a single <see cref="Placer.Place"/> call: what the snapshot already
/// puts there plus what this call has placed so far. Built once per call so that every filter and scorer
/// reads precomputed totals instead of walking the replicas again (O(nodes) per placement, not O(replicas)).
/// </summary>
public sealed class NodeCandidate
{
    // Most nodes bind no host port at all; a set is made only for those that do.
    private HashSet<HostPort>? _hostPorts;

    internal NodeCandidate(NodeInfo info, ulong tieBreak)
    {
        Info = info;
        TieBreak = tieBreak;
    }

    public NodeInfo Info { get; }

    public string Name => Info.Name;

    public long AllocatedMilliCpu { get; private set; }

    public long AllocatedMemoryBytes { get; private set; }

    /// <summary>Replicas of the requested service (same namespace and name) on this node.</summary>
    public int ServiceReplicas { get; private set; }

    /// <summary>Seeded from the evaluation id; orders nodes whose scores are equal.</summary>
    internal ulong TieBreak { get; }

    public bool IsHostPortInUse(HostPort port) => _hostPorts is not null && _hostPorts.Contains(port);

    /// <summary>Counts a container as allocated here: a replica from the snapshot or one placed by this call.</summary>
    internal void Add(ContainerSpec container, bool sameService)
    {
        AllocatedMilliCpu += container.MilliCpu;
        AllocatedMemoryBytes += container.MemoryBytes;
        if (sameService) ServiceReplicas++;
        foreach (var spec in container.Ports)
            if (HostPort.TryFrom(spec, out var port)) (_hostPorts ??= new HashSet<HostPort>()).Add(port);
    }

    /// <summary>Orders equally scored nodes: by the seeded hash, then by name should two hashes ever collide.</summary>
    internal bool PrecedesOnTie(NodeCandidate other) =>
        TieBreak != other.TieBreak ? TieBreak < other.TieBreak : string.CompareOrdinal(Name, other.Name) < 0;
}
