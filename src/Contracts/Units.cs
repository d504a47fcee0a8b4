using System.Globalization;

namespace Orchestrator.Contracts;

/// <summary>
/// Kubernetes-style quantities. CPU: "250m" (millicores), "0.5" or "2" (cores).
/// Memory: bytes, or with a binary (Ki, Mi, Gi, Ti) or decimal (k, M, G, T) suffix.
/// </summary>
public static class Units
{
    public const string CpuAllowed = "a number of cores like \"0.5\" or \"2\", or millicores like \"250m\"";
    public const string MemoryAllowed = "bytes, or a number with a unit Ki, Mi, Gi, Ti (or k, M, G, T), like \"64Mi\" or \"1Gi\"";

    public static bool TryParseCpuMillis(string text, out long millis)
    {
        millis = 0;
        var s = text.Trim();
        if (s.Length == 0) return false;
        if (s.EndsWith('m'))
        {
            if (!long.TryParse(s[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out millis)) return false;
            return true;
        }
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cores)) return false;
        var m = cores * 1000m;
        if (m != decimal.Truncate(m) || m > long.MaxValue / 2) return false;
        millis = (long)m;
        return true;
    }

    public static long ParseCpuMillis(string text) =>
        TryParseCpuMillis(text, out var m) ? m : throw new FormatException($"cpu \"{text}\" is not {CpuAllowed}");

    private static readonly (string Suffix, long Factor)[] MemorySuffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
        ("k", 1000L), ("K", 1000L), ("M", 1000_000L), ("G", 1000_000_000L), ("T", 1000_000_000_000L),
    ];

    public static bool TryParseMemoryBytes(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim();
        if (s.Length == 0) return false;
        long factor = 1;
        foreach (var (suffix, f) in MemorySuffixes)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal)) { factor = f; s = s[..^suffix.Length]; break; }
        }
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
        var b = n * factor;
        if (b != decimal.Truncate(b) || b > long.MaxValue / 2) return false;
        bytes = (long)b;
        return true;
    }

    public static long ParseMemoryBytes(string text) =>
        TryParseMemoryBytes(text, out var b) ? b : throw new FormatException($"memory \"{text}\" is not {MemoryAllowed}");

    /// <summary>"500m", or whole cores as "2".</summary>
    public static string FormatCpu(long millis) =>
        millis % 1000 == 0 ? (millis / 1000).ToString(CultureInfo.InvariantCulture) : millis.ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>The largest binary unit that divides exactly: 67108864 -> "64Mi".</summary>
    public static string FormatMemory(long bytes)
    {
        foreach (var (suffix, f) in new[] { ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10) })
            if (bytes != 0 && bytes % f == 0) return (bytes / f).ToString(CultureInfo.InvariantCulture) + suffix;
        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}
