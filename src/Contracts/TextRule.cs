namespace Orchestrator.Contracts;

/// <summary>What a piece of text in a manifest must look like, with the words that tell a person so.</summary>
internal sealed record TextRule(Func<string, bool> Accepts, string Allowed)
{
    public static readonly TextRule Any = new(_ => true, "text");
    public static readonly TextRule Dns1123Label = new(Names.IsDns1123Label, $"a DNS-1123 label ({Names.Dns1123Allowed})");
    public static readonly TextRule LabelKey = new(Names.IsLabelKey, Names.LabelKeyAllowed);
    public static readonly TextRule LabelValue = new(Names.IsLabelValue, Names.LabelValueAllowed);
    public static readonly TextRule EnvName = new(Names.IsEnvName, Names.EnvNameAllowed);
    public static readonly TextRule DataKey = new(Names.IsDataKey, Names.DataKeyAllowed);
    public static readonly TextRule EnvValue = AtMostBytes(ManifestLimits.MaxEnvValueBytes);
    public static readonly TextRule CommandItem = AtMostBytes(ManifestLimits.MaxCommandItemBytes);

    /// <summary>A file below a volume's folder: relative, no "..", no empty or "." segments.</summary>
    public static readonly TextRule RelativeFilePath = new(
        p => p.Length is > 0 and <= 1024 && !p.StartsWith('/') && p.Split('/').All(s => s.Length > 0 && s != "." && s != "..") && !p.Any(char.IsControl),
        "a relative path without \"..\" or \".\" segments, like \"db/password\"");

    private static TextRule AtMostBytes(int max) =>
        new(text => System.Text.Encoding.UTF8.GetByteCount(text) <= max, $"text of at most {ManifestLimits.Size(max)}");

    /// <summary>Where a volume is mounted: an absolute path, not / nor under /proc, /sys or /dev (the engine's own).</summary>
    public static readonly TextRule MountPath = new(IsMountPath,
        $"an absolute path like /data: at most {ManifestLimits.MaxMountPathBytes} characters, no '..', ':', ',' or control characters, not / nor under /proc, /sys or /dev");

    private static bool IsMountPath(string path)
    {
        if (path.Length is < 2 or > ManifestLimits.MaxMountPathBytes || path[0] != '/') return false;
        if (path.Any(c => char.IsControl(c) || c is ':' or ',')) return false;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is ".." or ".")) return false;
        return parts[0] is not ("proc" or "sys" or "dev");
    }

    public static readonly TextRule Image = new(
        image => image.Length > 0 && !image.Any(char.IsWhiteSpace),
        "an image reference without spaces, like \"local/web:1\"");
}
