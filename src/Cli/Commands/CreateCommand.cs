using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;
using Orchestrator.Orc.Parsing;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc create secret|config NAME --from-literal KEY=VALUE --from-file [KEY=]PATH` (kubectl's create secret generic and
/// create configmap). It writes the object as a manifest and applies it, so the server validates it as it validates a
/// file; a name that exists already is refused, as kubectl create refuses it (change it with apply).
/// </summary>
public sealed class CreateCommand(CliContext context)
{
    public Command Build() => new("create", "Create a secret or a config from literals and files")
    {
        Create(ResourceType.Secrets, "Create a secret (values are sent once and stored encrypted; never shown again)", ObjectKinds.Secret),
        Create(ResourceType.Configs, "Create a config (text values, delivered to replicas as env or files)", ObjectKinds.Config),
    };

    private Command Create(ResourceType type, string description, string kind)
    {
        var name = new Argument<string>("NAME") { Description = $"Name of the {type.Singular}" };
        var ns = CommonOptions.Namespace();
        var literals = new Option<string[]>("--from-literal") { Description = "KEY=VALUE; repeatable", AllowMultipleArgumentsPerToken = false };
        var files = new Option<string[]>("--from-file") { Description = "[KEY=]PATH: the file's content under KEY (default: the file's name); repeatable" };
        var command = type.Command(type.Singular, description);
        command.Add(name);
        command.Add(ns);
        command.Add(literals);
        command.Add(files);
        command.SetAction(async (parse, ct) =>
        {
            var (objectName, objectNs) = (parse.GetValue(name)!, parse.GetValue(ns)!);
            var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var literal in parse.GetValue(literals) ?? [])
            {
                var (key, value) = Split(literal, "--from-literal", "KEY=VALUE");
                Add(values, key, Encoding.UTF8.GetBytes(value), "--from-literal");
            }
            foreach (var file in parse.GetValue(files) ?? [])
            {
                var equals = file.IndexOf('=');
                var (key, path) = equals > 0 ? (file[..equals], file[(equals + 1)..]) : (Path.GetFileName(file), file);
                if (!File.Exists(path)) throw new CliException($"--from-file {file}: no such file {path}");
                Add(values, key, await File.ReadAllBytesAsync(path, ct), "--from-file");
            }
            var api = context.Api(parse);
            if (await ExistsAsync(api, kind, objectNs, objectName, ct))
                throw new CliException($"{type.Singular} \"{objectNs}/{objectName}\" already exists; change it with `orc apply -f FILE`, or delete it first");
            var manifest = Manifest(kind, objectNs, objectName, values);
            var response = await api.ApplyAsync(new ApplyRequest { Files = [new ManifestFile { Name = $"orc create {type.Singular}", Content = manifest }] }, ct);
            ResultLine.WriteAll(context.Out, response);
            return 0;
        });
        return command;
    }

    private static async Task<bool> ExistsAsync(OrcApi api, string kind, string ns, string name, CancellationToken ct)
    {
        var items = kind == ObjectKinds.Secret ? await api.ListSecretsAsync(ns, ct) : await api.ListConfigsAsync(ns, ct);
        return items.Any(o => o.Metadata.Name == name);
    }

    private static (string Key, string Value) Split(string text, string option, string form)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0) throw new CliException($"{option} takes {form}, got \"{text}\"");
        return (text[..equals], text[(equals + 1)..]);
    }

    private static void Add(Dictionary<string, byte[]> values, string key, byte[] value, string option)
    {
        if (!values.TryAdd(key, value)) throw new CliException($"{option}: key \"{key}\" is given twice");
    }

    /// <summary>JSON, which is YAML too: every value written exactly, whatever characters it holds. A config's values are
    /// text, a secret's base64 (any bytes).</summary>
    private static string Manifest(string kind, string ns, string name, Dictionary<string, byte[]> values)
    {
        var data = values.ToDictionary(v => v.Key, v => kind == ObjectKinds.Secret ? Convert.ToBase64String(v.Value) : Encoding.UTF8.GetString(v.Value));
        var document = new Dictionary<string, object>
        {
            ["apiVersion"] = ObjectKinds.ApiVersion,
            ["kind"] = kind,
            ["metadata"] = new Dictionary<string, string> { ["name"] = name, ["namespace"] = ns },
            ["data"] = data,
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
