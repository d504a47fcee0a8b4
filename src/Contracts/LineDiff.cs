using System.Text;

namespace Orchestrator.Contracts;

/// <summary>A unified diff of two texts by lines (`diff -u`'s format), from their longest common subsequence.</summary>
public static class LineDiff
{
    public static string Unified(string before, string after, string beforeLabel, string afterLabel, int context = 3)
    {
        var (a, b) = (Lines(before), Lines(after));
        var edits = Edits(a, b);
        if (edits.All(e => e.Op == ' ')) return "";
        var text = new StringBuilder().Append($"--- {beforeLabel}\n+++ {afterLabel}\n");
        // Hunks: runs of changes with up to `context` equal lines around them, merged when they touch.
        var changed = edits.Select((e, i) => (e, i)).Where(x => x.e.Op != ' ').Select(x => x.i).ToList();
        var start = 0;
        while (start < changed.Count)
        {
            var end = start;
            while (end + 1 < changed.Count && changed[end + 1] - changed[end] <= 2 * context + 1) end++;
            var (from, to) = (Math.Max(0, changed[start] - context), Math.Min(edits.Count - 1, changed[end] + context));
            var hunk = edits.Skip(from).Take(to - from + 1).ToList();
            var aStart = edits.Take(from).Count(e => e.Op != '+') + 1;
            var bStart = edits.Take(from).Count(e => e.Op != '-') + 1;
            text.Append($"@@ -{aStart},{hunk.Count(e => e.Op != '+')} +{bStart},{hunk.Count(e => e.Op != '-')} @@\n");
            foreach (var e in hunk) text.Append(e.Op).Append(e.Line).Append('\n');
            start = end + 1;
        }
        return text.ToString();
    }

    private static string[] Lines(string text) => text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

    private static List<(char Op, string Line)> Edits(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        for (var j = b.Length - 1; j >= 0; j--)
            lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var edits = new List<(char, string)>();
        var (x, y) = (0, 0);
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { edits.Add((' ', a[x])); x++; y++; }
            // Removals before additions, as diff -u shows a changed line.
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) edits.Add(('-', a[x++]));
            else edits.Add(('+', b[y++]));
        }
        return edits;
    }
}
