using System.Text.Json;

namespace Orchestrator.Orc;

/// <summary>
/// ~/.orc/config.json (or the file ORC_CONFIG names, as KUBECONFIG does), which ./up.sh writes:
/// {"server": "https://host:7070", "token": "orc.ID.SECRET", "ca": "/path/ca.crt"}; other keys are kept.
/// </summary>
public static class CliConfigFile
{
    public const string Variable = "ORC_CONFIG";

    public static string PathIn(CliEnvironment environment) =>
        environment.Variable(Variable) is { Length: > 0 } path ? path : Path.Combine(environment.HomeDirectory, ".orc", "config.json");

    /// <summary>The string under <paramref name="key"/>, or null when the file or the key is absent.</summary>
    public static string? Read(string path, string key)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(key, out var value)
                && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw new CliException(
                $"{path} is not valid JSON ({e.Message}); expected {{\"server\": \"https://host:7070\", \"token\": \"orc.ID.SECRET\", \"ca\": \"/path/to/ca.crt\"}}",
                inner: e);
        }
    }
}
