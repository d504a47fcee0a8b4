using System.Text;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Top-level Compose secrets and configs: <c>NAME: {file: ./path}</c> becomes a Secret (or Config) NAME with one key NAME
/// holding the file's bytes (where Swarm mounts /run/secrets/NAME); a config may also give <c>content:</c>;
/// <c>external: true</c> names one that exists already, so nothing is made. Files are read by orc on the user's machine.
/// </summary>
internal static class ComposeData
{
    public static readonly KeyTable SecretKeys = KeyTable.Of("compose secrets.*", mapped: ["file", "external"]);
    public static readonly KeyTable ConfigKeys = KeyTable.Of("compose configs.*", mapped: ["file", "content", "external"]);

    public static IEnumerable<YamlNode> Translate(YamlNode node, string path, string kind, Translator t)
    {
        if (t.Reader.Map(node, path, "names to {file: PATH}") is not { } map) yield break;
        foreach (var (name, key, value) in t.Reader.Entries(map, path))
        {
            var itemPath = FieldPath.Field(path, name);
            if (t.Keys(value, itemPath, kind == ObjectKinds.Secret ? SecretKeys : ConfigKeys) is not { } f) continue;
            if (f.GetValueOrDefault("external").Value is { } external && t.Reader.Bool(external, itemPath + ".external") == true) continue;
            var bytes = f.GetValueOrDefault("content").Value is { } content
                ? t.Reader.Text(content, itemPath + ".content") is { } text ? Encoding.UTF8.GetBytes(text) : null
                : f.GetValueOrDefault("file").Value is { } file ? Read(file, itemPath + ".file", t) : Missing(value, itemPath, kind, t);
            if (bytes is null) continue;
            var data = t.Map(value);
            // A secret's bytes go base64 under data; a config holds text.
            data.Add(t.Text(name, key), kind == ObjectKinds.Secret ? t.Text(Convert.ToBase64String(bytes), value) : t.Text(Encoding.UTF8.GetString(bytes), value));
            yield return ComposeFile.Document(kind, key, name, value, t).With("data", data);
        }
    }

    private static byte[]? Missing(YamlNode value, string path, string kind, Translator t)
    {
        t.Reader.Error(value, path, kind == ObjectKinds.Secret ? "required: file (or external: true)" : "required: file or content (or external: true)");
        return null;
    }

    private static byte[]? Read(YamlNode node, string path, Translator t)
    {
        if (t.Reader.Text(node, path) is not { } file) return null;
        if (t.Options.ReadFile is not { } read)
        {
            t.Reader.Error(node, path, "files are read by orc on your machine: apply this Compose file with orc apply -f or orc compose up -f");
            return null;
        }
        var (bytes, problem) = read(t.Reader.File, file);
        if (bytes is not null && bytes.Length <= ManifestLimits.MaxDataBytes) return bytes;
        t.Reader.Error(node, path, problem ?? $"{file} is more than the {ManifestLimits.Size(ManifestLimits.MaxDataBytes)} one secret or config may hold");
        return null;
    }
}
