namespace Orchestrator.Scheduler;

/// <summary>
/// A stable per-node order seeded by the evaluation id (Nomad seeds its node shuffle the same way):
/// replaying an evaluation picks the same nodes, while different evaluations do not all pile onto the
/// alphabetically first of several equal nodes. string.GetHashCode is randomised per process, so it cannot serve.
/// The node's half is hashed once per <see cref="SchedulingState"/> and the evaluation's once per request, so a tie
/// costs one mix of two numbers rather than hashing a name in the hot loop.
/// </summary>
public static class TieBreak
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;
    // Keeps the evaluation's hash apart from the node's, so ("ab","c") and ("a","bc") differ.
    private const ulong EvaluationSalt = 0x9E3779B97F4A7C15UL;

    public static ulong For(string evaluationId, string nodeName) => Combine(HashEvaluation(evaluationId), HashName(nodeName));

    internal static ulong HashEvaluation(string evaluationId) => Finalize(Fnv(evaluationId) ^ EvaluationSalt);

    internal static ulong HashName(string nodeName) => Fnv(nodeName);

    internal static ulong Combine(ulong evaluation, ulong name) => Finalize(evaluation ^ name);

    private static ulong Fnv(string text)
    {
        var hash = FnvOffset;
        foreach (var c in text) hash = (hash ^ c) * FnvPrime;
        return hash;
    }

    // FNV alone leaves nearby names with nearby hashes; the splitmix64 finalizer spreads every input bit.
    internal static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
