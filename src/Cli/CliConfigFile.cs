using System.Text.Json;

namespace Orchestrator.Orc;

/// <summary>~/.orc/config.json: {"server": "http://host:7070", "token": "orc.ID.SECRET"} (./up.sh writes both).</summary>
public static class CliConfigFile
{
    public static string PathIn(CliEnvironment environment) => Path.Combine(environment.HomeDirectory, ".orc", "config.json");

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
            throw new CliException($"{path} is not valid JSON ({e.Message}); expected {{\"server\": \"http://host:7070\", \"token\": \"orc.ID.SECRET\"}}", inner: e);
        }
    }
}
