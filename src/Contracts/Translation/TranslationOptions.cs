namespace Orchestrator.Contracts;

/// <summary>
/// How Compose files and Kubernetes manifests are translated (docs/compat.md). The defaults are the server's:
/// strict, and no file of the user's machine to read.
/// </summary>
public sealed record TranslationOptions
{
    /// <summary>Unsupported keys become warnings instead of errors (orc --ignore-unsupported); refused keys stay errors.</summary>
    public bool IgnoreUnsupported { get; init; }

    /// <summary>
    /// Reads a file a Compose file names (top-level secrets and configs, <c>file:</c>), relative to the Compose file's
    /// folder: its bytes, or the problem. Null on the server, which cannot see the user's files.
    /// </summary>
    public Func<string, string, FileContent>? ReadFile { get; init; }

    public static readonly TranslationOptions Strict = new();
}

/// <summary>A file read for a translation: its bytes, or why there are none.</summary>
public sealed record FileContent(byte[]? Bytes, string? Problem);
