using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc config set KEY VALUE`: writes one key of ~/.orc/config.json and keeps every other key as it was (kubectl
/// config set). ./up.sh writes "server", "token" and "ca". The file is written 0600, as it may hold credentials.
/// </summary>
public sealed class ConfigCommand(CliContext context)
{
    public Command Build()
    {
        var key = new Argument<string>("KEY") { Description = "server (control plane URLs), token (a bearer token), ca (the cluster CA file), or another key" };
        var value = new Argument<string>("VALUE");
        var set = new Command("set", "Set one key of ~/.orc/config.json, keeping the others") { key, value };
        set.SetAction(parse =>
        {
            var path = CliConfigFile.PathIn(context.Environment);
            Set(path, parse.GetValue(key)!, parse.GetValue(value)!);
            context.Out.WriteLine($"{path}: {parse.GetValue(key)} set");
            return 0;
        });
        return new Command("config", "Read and change orc's own settings (~/.orc/config.json)") { set };
    }

    public static void Set(string path, string key, string value)
    {
        if (key.Length is 0 or > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new CliException($"config key \"{key}\" is not a name; give letters, digits, '-' or '_' (server, token, ca)");
        JsonObject config;
        try { config = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not an object") : new JsonObject(); }
        catch (JsonException e) { throw new CliException($"{path} is not a JSON object ({e.Message}); fix or remove it", inner: e); }
        config[key] = value;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(new FileStream(temporary, options)))
            writer.Write(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
