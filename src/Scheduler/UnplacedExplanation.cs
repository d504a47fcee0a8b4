namespace Orchestrator.Scheduler;

/// <summary>
/// kube-scheduler's answer to "why is this pending?": every node counted once under the reason it was
/// rejected for, the most common first: "0/5 nodes available: 3 insufficient memory, 2 node not ready".
/// </summary>
public static class UnplacedExplanation
{
    public static string Format(int nodeCount, IReadOnlyDictionary<string, int> rejections)
    {
        if (nodeCount == 0) return $"0/0 nodes available: {Reasons.NoNodesRegistered}";
        var parts = rejections
            .OrderByDescending(r => r.Value)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => $"{r.Value} {r.Key}");
        return $"0/{nodeCount} nodes available: {string.Join(", ", parts)}";
    }
}
