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

    /// <summary>An absolute path in the container; no "..", no ':' or ',' (the engine's mount syntax), at most 4096 bytes.</summary>
    public static readonly TextRule MountPath = new(
        p => p.StartsWith('/') && p != "/" && p.Length <= 4096 && !p.Split('/').Contains("..") && !p.Any(c => c is ':' or ',' || char.IsControl(c)),
        "an absolute path other than \"/\", without \"..\", ':' or ',' (like \"/etc/app\")");

    /// <summary>A file below a volume's folder: relative, no "..", no empty or "." segments.</summary>
    public static readonly TextRule RelativeFilePath = new(
        p => p.Length is > 0 and <= 1024 && !p.StartsWith('/') && p.Split('/').All(s => s.Length > 0 && s != "." && s != "..") && !p.Any(char.IsControl),
        "a relative path without \"..\" or \".\" segments, like \"db/password\"");

    private static TextRule AtMostBytes(int max) =>
        new(text => System.Text.Encoding.UTF8.GetByteCount(text) <= max, $"text of at most {ManifestLimits.Size(max)}");

    public static readonly TextRule Image = new(
        image => image.Length > 0 && !image.Any(char.IsWhiteSpace),
        "an image reference without spaces, like \"local/web:1\"");
}
