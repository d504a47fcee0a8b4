using System.Text.RegularExpressions;

namespace Orchestrator.Contracts;

/// <summary>One problem in a manifest, located so that a person can go straight to it.</summary>
public sealed record ValidationError
{
    public string File { get; init; } = "";
    public int Line { get; init; }
    public int Column { get; init; }
    /// <summary>Field path inside the document, e.g. "spec.replicas" or "spec.ports[0].containerPort".</summary>
    public string Path { get; init; } = "";
    public string Message { get; init; } = "";

    /// <summary>"web.yaml:7:13 spec.replicas: must be a whole number >= 0, got \"three\"".</summary>
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        var path = string.IsNullOrEmpty(Path) ? "" : $" {Path}";
        return $"{where}{path}: {Message}";
    }
}

public static class Names
{
    public const string Dns1123Allowed = "at most 63 characters: lower-case letters, digits and '-', starting and ending with a letter or digit";

    /// <summary>RFC 1123 label, as Kubernetes requires for names and namespaces.</summary>
    public static bool IsDns1123Label(string? s)
    {
        if (string.IsNullOrEmpty(s) || s.Length > 63) return false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var alnum = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (alnum) continue;
            if (c == '-' && i > 0 && i < s.Length - 1) continue;
            return false;
        }
        return true;
    }

    public const string LabelKeyAllowed = "an optional DNS subdomain prefix and '/', then a name of at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit (like \"app\" or \"example.com/tier\")";
    public const string LabelValueAllowed = "empty, or at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
    public const string DataKeyAllowed = "at most 253 characters: letters, digits, '-', '_' and '.', not \".\" or \"..\" (like \"password\" or \"app.conf\")";
    public const string EnvNameAllowed = "letters, digits and '_', not starting with a digit (like \"GREETING\" or \"_TOKEN\")";

    // Kubernetes' qualified-name rules, so that labels written for Kubernetes carry over unchanged.
    private static readonly Regex LabelName = new("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant);
    private static readonly Regex DataKey = new("^[-._A-Za-z0-9]+$", RegexOptions.CultureInvariant);
    private static readonly Regex EnvName = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>A label key: "[prefix/]name", the prefix a DNS subdomain of at most 253 characters.</summary>
    public static bool IsLabelKey(string? s)
    {
        if (string.IsNullOrEmpty(s)) return false;
        var slash = s.IndexOf('/');
        var name = slash < 0 ? s : s[(slash + 1)..];
        if (slash >= 0 && !IsDns1123Subdomain(s[..slash])) return false;
        return name.Length <= 63 && LabelName.IsMatch(name);
    }

    public static bool IsLabelValue(string? s) =>
        s is not null && (s.Length == 0 || (s.Length <= 63 && LabelName.IsMatch(s)));

    /// <summary>A key of a Secret or Config: also a file name when mounted, so no '/' and never "." or "..".</summary>
    public static bool IsDataKey(string? s) => s is not null && s.Length <= 253 && s is not ("." or "..") && DataKey.IsMatch(s);

    /// <summary>An environment variable name that every shell can expand.</summary>
    public static bool IsEnvName(string? s) => s is not null && EnvName.IsMatch(s);

    /// <summary>RFC 1123 subdomain: dot-separated labels, at most 253 characters.</summary>
    public static bool IsDns1123Subdomain(string? s) =>
        !string.IsNullOrEmpty(s) && s.Length <= 253 && s.Split('.').All(IsDns1123Label);
}
