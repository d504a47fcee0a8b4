using System.Buffers;
using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// One topology spread constraint during one request: the service's replicas per domain and the emptiest eligible
/// domain, kept current as the batch places, so the filter answers in O(1) per node.
/// </summary>
internal sealed class SpreadDomains
{
    private readonly int[] _counts;
    private readonly bool[] _eligible;
    private readonly int _domains;
    // How many eligible domains hold exactly Min: Min moves only when the last of them gains a replica.
    private int _atMin;

    private SpreadDomains(TopologySpreadConstraint constraint, TopologyIndex index)
    {
        Constraint = constraint;
        Index = index;
        _domains = index.DomainCount;
        _counts = ArrayPool<int>.Shared.Rent(_domains);
        _eligible = ArrayPool<bool>.Shared.Rent(_domains);
        Array.Clear(_counts, 0, _domains);
        Array.Clear(_eligible, 0, _domains);
    }

    public TopologySpreadConstraint Constraint { get; }

    public TopologyIndex Index { get; }

    /// <summary>Replicas of the service in the emptiest domain that has a node able to take one; 0 when there is none.</summary>
    public int Min { get; private set; }

    /// <summary>Replicas of the service in the node's domain, or -1 when the node lacks the topology label.</summary>
    public int CountAt(NodeCandidate node) => Index.DomainOf[node.Index] is var d and >= 0 ? _counts[d] : -1;

    internal static SpreadDomains Create(SchedulingState state, TopologySpreadConstraint constraint, Dictionary<int, int> serviceNodes, bool[] eligibleNodes)
    {
        var spread = new SpreadDomains(constraint, state.Topology(constraint.TopologyKey));
        var domainOf = spread.Index.DomainOf;
        foreach (var (node, count) in serviceNodes)
            if (domainOf[node] >= 0) spread._counts[domainOf[node]] += count;
        for (var i = 0; i < domainOf.Length; i++)
            if (eligibleNodes[i] && domainOf[i] >= 0) spread._eligible[domainOf[i]] = true;
        spread.RecomputeMin();
        return spread;
    }

    internal void Commit(NodeCandidate node)
    {
        var d = Index.DomainOf[node.Index];
        if (d < 0) return;
        var before = _counts[d]++;
        if (_eligible[d] && before == Min && --_atMin == 0) RecomputeMin();
    }

    internal void Release()
    {
        ArrayPool<int>.Shared.Return(_counts);
        ArrayPool<bool>.Shared.Return(_eligible);
    }

    private void RecomputeMin()
    {
        var min = int.MaxValue;
        var atMin = 0;
        for (var d = 0; d < _domains; d++)
        {
            if (!_eligible[d]) continue;
            if (_counts[d] < min) { min = _counts[d]; atMin = 1; }
            else if (_counts[d] == min) atMin++;
        }
        Min = atMin == 0 ? 0 : min;
        _atMin = atMin;
    }
}
