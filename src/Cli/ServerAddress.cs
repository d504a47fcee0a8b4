namespace Orchestrator.Orc;

/// <summary>
/// Where the control plane is: --server, else ORC_SERVER, else "server" in ~/.orc/config.json,
/// else the address ./up.sh starts it on. The first one set wins, so a flag always beats the environment.
/// Each may name several control planes separated by commas ("https://a:7070,https://b:7070"): `orc` asks them in
/// order and turns to the next when one cannot be reached or says it is stopping.
/// </summary>
public static class ServerAddress
{
    public const string Default = "https://127.0.0.1:7070";
    public const string Variable = "ORC_SERVER";

    /// <summary>At most this many control planes in one address list.</summary>
    public const int MaxServers = 16;

    public static IReadOnlyList<Uri> Resolve(string? flag, CliEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(flag)) return ParseList(flag, "--server");
        var fromVariable = environment.Variable(Variable);
        if (!string.IsNullOrWhiteSpace(fromVariable)) return ParseList(fromVariable, Variable);
        var configPath = CliConfigFile.PathIn(environment);
        var fromConfig = CliConfigFile.Read(configPath, "server");
        if (!string.IsNullOrWhiteSpace(fromConfig)) return ParseList(fromConfig, configPath);
        return [new Uri(Default)];
    }

    private static IReadOnlyList<Uri> ParseList(string text, string source)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new CliException($"server address \"{text}\" from {source} names no control plane; give a URL like {Default}");
        if (parts.Length > MaxServers) throw new CliException($"server address from {source} names {parts.Length} control planes; at most {MaxServers}");
        return parts.Select(p => Parse(p, source)).ToList();
    }

    private static Uri Parse(string text, string source) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException($"server address \"{text}\" from {source} is not an http(s) URL like {Default}");
}
