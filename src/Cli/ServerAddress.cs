using System.Text.Json;

namespace Orchestrator.Orc;

/// <summary>
/// Where the control plane is: --server, else ORC_SERVER, else "server" in ~/.orc/config.json,
/// else the address ./up.sh starts it on. The first one set wins, so a flag always beats the environment.
/// </summary>
public static class ServerAddress
{
    public const string Default = "http://127.0.0.1:7070";
    public const string Variable = "ORC_SERVER";

    public static Uri Resolve(string? flag, CliEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(flag)) return Parse(flag, "--server");
        var fromVariable = environment.Variable(Variable);
        if (!string.IsNullOrWhiteSpace(fromVariable)) return Parse(fromVariable, Variable);
        var configPath = Path.Combine(environment.HomeDirectory, ".orc", "config.json");
        var fromConfig = ReadConfig(configPath);
        if (!string.IsNullOrWhiteSpace(fromConfig)) return Parse(fromConfig, configPath);
        return new Uri(Default);
    }

    private static string? ReadConfig(string path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("server", out var server)
                && server.ValueKind == JsonValueKind.String
                ? server.GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw new CliException($"{path} is not valid JSON ({e.Message}); expected {{\"server\": \"http://host:7070\"}}", inner: e);
        }
    }

    private static Uri Parse(string text, string source) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException($"server address \"{text}\" from {source} is not an http(s) URL like {Default}");
}
