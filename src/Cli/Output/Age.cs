namespace Orchestrator.Orc.Output;

/// <summary>kubectl's short human duration: the largest whole unit only (45s, 3m, 2h, 5d, 1y).</summary>
public static class Age
{
    public const string Unknown = "<unknown>";

    public static string Since(DateTimeOffset? then, DateTimeOffset now)
    {
        if (then is null || then.Value == default) return Unknown;
        var elapsed = now - then.Value;
        // A clock a little behind the server's is normal; far behind means the times cannot be compared.
        if (elapsed < TimeSpan.FromSeconds(-1)) return "<invalid>";
        if (elapsed < TimeSpan.Zero) return "0s";
        if (elapsed < TimeSpan.FromMinutes(1)) return $"{(int)elapsed.TotalSeconds}s";
        if (elapsed < TimeSpan.FromHours(1)) return $"{(int)elapsed.TotalMinutes}m";
        if (elapsed < TimeSpan.FromDays(1)) return $"{(int)elapsed.TotalHours}h";
        if (elapsed < TimeSpan.FromDays(365)) return $"{(int)elapsed.TotalDays}d";
        return $"{(int)(elapsed.TotalDays / 365)}y";
    }
}
