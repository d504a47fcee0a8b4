using System.Globalization;

namespace Orchestrator.Contracts;

/// <summary>
/// The query of a logs request, on the control plane (…/services/{name}/logs) and on the agent (/v1/replicas/{id}/logs):
/// tail=N (the last N lines of each replica; all when absent) and follow=true|false.
/// </summary>
public sealed record LogQuery(int? Tail, bool Follow)
{
    /// <summary>The query as a string for the next hop, like "?tail=10&amp;follow=true" (empty when neither is set).</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        if (Tail is { } tail) parts.Add("tail=" + tail.ToString(CultureInfo.InvariantCulture));
        if (Follow) parts.Add("follow=true");
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    /// <summary>Reads the raw parameters; on bad input <paramref name="error"/> says which and what is allowed.</summary>
    public static LogQuery? Parse(string? tail, string? follow, out string error)
    {
        error = "";
        int? lines = null;
        if (!string.IsNullOrEmpty(tail))
        {
            if (!int.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                error = $"tail \"{tail}\" is invalid: give a whole number of lines, 0 or more";
                return null;
            }
            lines = n;
        }
        var following = false;
        if (!string.IsNullOrEmpty(follow) && !bool.TryParse(follow, out following))
        {
            error = $"follow \"{follow}\" is invalid: give true or false";
            return null;
        }
        return new LogQuery(lines, following);
    }
}

/// <summary>Header of a logs answer of the control plane: one per replica whose logs could not be fetched (the others stream on).</summary>
public static class LogHeaders
{
    public const string Unavailable = "X-Orc-Logs-Unavailable";
}
