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
}
