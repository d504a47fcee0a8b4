namespace Orchestrator.Scheduler;

/// <summary>
/// How many feasible nodes the placer scores per slot before it stops looking: kube-scheduler's adaptive
/// percentageOfNodesToScore. Filters still hold for whatever is chosen; what is given up is only the guarantee that the
/// chosen node is the best of the whole cluster rather than the best of a sample of several hundred, visited in an
/// order seeded by the evaluation id and rotated after every slot so successive slots see different nodes.
/// Topology spread and maxPerNode are filters over counts of the whole cluster, so they hold exactly either way.
/// </summary>
public static class NodesToScore
{
    /// <summary>Below this many nodes every node is scored (kube's minFeasibleNodesToFind).</summary>
    public const int MinFeasibleNodes = 100;
    /// <summary>Kube's adaptive start: 50% of a small cluster ...</summary>
    public const int BasePercentage = 50;
    /// <summary>... falling by one point per this many nodes ...</summary>
    public const int NodesPerPercentagePoint = 125;
    /// <summary>... to no less than 5%.</summary>
    public const int MinPercentage = 5;

    /// <summary>5,000 nodes: 10% = 500 nodes; 1,000 nodes: 42% = 420; 100 nodes or fewer: all.</summary>
    public static int Adaptive(int nodeCount)
    {
        if (nodeCount <= MinFeasibleNodes) return nodeCount;
        var percentage = Math.Max(MinPercentage, BasePercentage - nodeCount / NodesPerPercentagePoint);
        return Math.Max(MinFeasibleNodes, (int)((long)nodeCount * percentage / 100));
    }

    /// <summary>Every feasible node, for callers that want the best of the whole cluster whatever it costs.</summary>
    public static int All(int nodeCount) => nodeCount;
}
