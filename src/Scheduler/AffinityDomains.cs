using System.Buffers;
using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// One affinity or anti-affinity term during one request: replicas whose labels match its selector, per domain of its
/// topology key. Updated when the batch places a replica that matches its own term (web avoiding web).
/// </summary>
internal sealed class AffinityDomains
{
    private readonly int[] _counts;

    private AffinityDomains(AffinityTerm term, TopologyIndex index, bool selfMatch)
    {
        Term = term;
        Index = index;
        SelfMatch = selfMatch;
        _counts = ArrayPool<int>.Shared.Rent(index.DomainCount);
        Array.Clear(_counts, 0, index.DomainCount);
    }

    public AffinityTerm Term { get; }

    public TopologyIndex Index { get; }

    /// <summary>The requested service's own labels match the selector, so its placements count too.</summary>
    public bool SelfMatch { get; }

    /// <summary>Matching replicas anywhere, including those on nodes without the topology label.</summary>
    public int Total { get; private set; }

    /// <summary>Matching replicas in the node's domain; 0 when the node is in no domain.</summary>
    public int CountAt(NodeCandidate node) => Index.DomainOf[node.Index] is var d and >= 0 ? _counts[d] : 0;

    public bool InDomain(NodeCandidate node) => Index.DomainOf[node.Index] >= 0;

    internal static AffinityDomains Create(SchedulingState state, AffinityTerm term, string ns, IReadOnlyDictionary<string, string> ownLabels)
    {
        var selfMatch = term.LabelSelector.Count > 0 && term.LabelSelector.All(s => ownLabels.TryGetValue(s.Key, out var v) && v == s.Value);
        var domains = new AffinityDomains(term, state.Topology(term.TopologyKey), selfMatch);
        var domainOf = domains.Index.DomainOf;
        foreach (var group in state.Matching(ns, term.LabelSelector))
            foreach (var (node, count) in group.PerNode)
            {
                domains.Total += count;
                if (domainOf[node] >= 0) domains._counts[domainOf[node]] += count;
            }
        return domains;
    }

    internal void Commit(NodeCandidate node)
    {
        if (!SelfMatch) return;
        Total++;
        if (Index.DomainOf[node.Index] is var d and >= 0) _counts[d]++;
    }

    internal void Release() => ArrayPool<int>.Shared.Return(_counts);
}
