namespace Orchestrator.Scheduler;

/// <summary>
/// The order in which one request visits nodes: a start and a stride coprime with the node count, both taken from the
/// evaluation hash, so every node is visited exactly once per full pass, replays visit the same way, and a sample of
/// the first few hundred feasible nodes is not a run of neighbours by name (which often share a rack or zone).
/// Costs O(1) to set up, where a seeded shuffle would cost O(nodes) per request.
/// </summary>
internal struct VisitOrder
{
    public VisitOrder(int nodeCount, ulong evaluationHash)
    {
        Count = nodeCount;
        Next = nodeCount == 0 ? 0 : (int)(evaluationHash % (ulong)nodeCount);
        Stride = nodeCount <= 2 ? 1 : StrideFor(nodeCount, evaluationHash >> 32);
    }

    public int Count { get; }

    public int Stride { get; }

    /// <summary>Where the next slot starts: just after the last node the previous slot visited (kube's nextStartNodeIndex).</summary>
    public int Next { get; set; }

    private static int StrideFor(int count, ulong seed)
    {
        var stride = 1 + (int)(seed % (ulong)(count - 1));
        while (Gcd(stride, count) != 1) stride = stride == count - 1 ? 1 : stride + 1;
        return stride;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
