namespace Orchestrator.Scheduler;

/// <summary>
/// A stable per-node order seeded by the evaluation id (Nomad seeds its node shuffle the same way):
/// replaying an evaluation picks the same nodes, while different evaluations do not all pile onto the
/// alphabetically first of several equal nodes. string.GetHashCode is randomised per process, so it cannot serve.
/// </summary>
public static class TieBreak
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static ulong For(string evaluationId, string nodeName)
    {
        var hash = Mix(FnvOffset, evaluationId);
        hash = (hash ^ 0xFFFF) * FnvPrime; // separator: ("ab","c") and ("a","bc") must differ
        hash = Mix(hash, nodeName);
        return Finalize(hash);
    }

    private static ulong Mix(ulong hash, string text)
    {
        foreach (var c in text) hash = (hash ^ c) * FnvPrime;
        return hash;
    }

    // FNV alone leaves nearby names with nearby hashes; the splitmix64 finalizer spreads every input bit.
    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
