using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Contracts;

/// <summary>
/// Durations as manifests write them, Go-style like Kubernetes and Nomad: "500ms", "1s", "2m", "1h", or a sum
/// such as "1m30s". Stored canonically (largest units first), so that equal durations hash equal.
/// </summary>
public static partial class Durations
{
    public const string Allowed = "a duration: a whole number with a unit ms, s, m or h, like \"500ms\", \"1s\", \"2m\" or \"1m30s\"";

    private static readonly (string Unit, long Millis)[] UnitsLargestFirst = [("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.Trim();
        if (s.Length == 0 || !Whole().IsMatch(s)) return false;
        long millis = 0;
        foreach (Match part in Part().Matches(s))
        {
            if (!long.TryParse(part.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
            var factor = UnitsLargestFirst.First(u => u.Unit == part.Groups[2].Value).Millis;
            // A day is far beyond any back-off or probe setting; the bound keeps the sum from overflowing.
            if (n > TimeSpan.FromDays(1).TotalMilliseconds / factor) return false;
            millis += n * factor;
        }
        duration = TimeSpan.FromMilliseconds(millis);
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"duration \"{text}\" is not {Allowed}");

    /// <summary>"1m30s", "500ms", "0s".</summary>
    public static string Format(TimeSpan duration)
    {
        var left = (long)duration.TotalMilliseconds;
        if (left == 0) return "0s";
        var text = new StringBuilder();
        foreach (var (unit, millis) in UnitsLargestFirst)
        {
            if (left < millis) continue;
            text.Append((left / millis).ToString(CultureInfo.InvariantCulture)).Append(unit);
            left %= millis;
        }
        return text.ToString();
    }

    [GeneratedRegex("^([0-9]+(ms|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex("([0-9]+)(ms|h|m|s)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
