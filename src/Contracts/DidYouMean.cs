namespace Orchestrator.Contracts;

/// <summary>Suggests the allowed word a person most likely meant, so that a typo costs one look instead of a search.</summary>
public static class DidYouMean
{
    /// <summary><c> (did you mean "replicas"?)</c>, or empty when nothing is close enough to be a likely typo.</summary>
    public static string Hint(string given, IEnumerable<string> allowed) =>
        Closest(given, allowed) is { } match ? $" (did you mean {YamlScalars.Quote(match)}?)" : "";

    public static string? Closest(string given, IEnumerable<string> allowed)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in allowed)
        {
            var distance = string.Equals(given, candidate, StringComparison.OrdinalIgnoreCase)
                ? 0
                : Distance(given, candidate);
            // A third of the word (at least one edit) may differ: "replica", "imgae" and "Port" match, "cmd" does not.
            if (distance <= Math.Max(1, candidate.Length / 3) && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
