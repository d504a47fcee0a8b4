using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// The topology domains of one key: each node's domain as a small integer (-1 when the node lacks the label), so that
/// per-domain counts are arrays and a filter reads its node's domain without a dictionary lookup.
/// Built once per key per <see cref="SchedulingState"/>, since node labels do not change between placements.
/// </summary>
public sealed class TopologyIndex
{
    private TopologyIndex(string key, int[] domainOf, int domainCount)
    {
        Key = key;
        DomainOf = domainOf;
        DomainCount = domainCount;
    }

    public string Key { get; }

    /// <summary>Node index -> domain index, or -1: a node without the label is in no domain.</summary>
    internal int[] DomainOf { get; }

    public int DomainCount { get; }

    public int DomainOfNode(NodeCandidate node) => DomainOf[node.Index];

    internal static TopologyIndex Build(string key, NodeCandidate[] nodes)
    {
        var domainOf = new int[nodes.Length];
        var domains = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
        {
            var value = key == PlacementSpec.NodeNameKey ? nodes[i].Name : nodes[i].Info.Labels.GetValueOrDefault(key);
            if (value is null) { domainOf[i] = -1; continue; }
            if (!domains.TryGetValue(value, out var domain)) domains[value] = domain = domains.Count;
            domainOf[i] = domain;
        }
        return new TopologyIndex(key, domainOf, domains.Count);
    }
}
