namespace Orchestrator.Scheduler;

/// <summary>
/// Where a request's search through the nodes starts: a node taken from the evaluation hash, then onwards in name
/// order, wrapping around, and each slot going on from where the previous one stopped (kube-scheduler's
/// nextStartNodeIndex). Replays visit the same way; successive slots and evaluations sample different nodes.
/// Consecutive, not shuffled: NodeCandidates lie in memory in name order, and walking them in that order measured
/// twice as fast as a seeded stride through the same nodes (the hardware prefetcher keeps up; random order misses cache).
/// </summary>
internal struct VisitOrder(int nodeCount, ulong evaluationHash)
{
    /// <summary>Index of the node the next slot looks at first.</summary>
    public int Next { get; set; } = nodeCount == 0 ? 0 : (int)(evaluationHash % (ulong)nodeCount);
}
