using System.Text;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Reads the body of a Secret (<c>data</c> base64, <c>stringData</c> text) or a Config (<c>data</c> text): keys that can
/// be file names, values within <see cref="ManifestLimits.MaxDataBytes"/> together. Errors never quote a secret's
/// value: a person sees where it is, and the API's answer carries no secret.
/// </summary>
internal static class DataObjectReader
{
    public static readonly string[] SecretFields = ["apiVersion", "kind", "metadata", "data", "stringData"];
    public static readonly string[] ConfigFields = ["apiVersion", "kind", "metadata", "data"];

    /// <summary>Key -> value bytes of a secret (stringData wins over data for the same key, as in Kubernetes), or null.</summary>
    public static Dictionary<string, byte[]>? ReadSecret(FieldSet document, YamlNode root, ManifestReader r)
    {
        var errorsBefore = r.Errors.Count;
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (document["data"] is { } data)
            foreach (var (key, node) in Entries(data, document.PathOf("data"), r))
            {
                var path = FieldPath.Key(document.PathOf("data"), key);
                var text = YamlScalars.IsNull(node) ? "" : (node as YamlScalarNode)?.Value;
                if (text is null) r.Error(node, path, $"must be base64 text, got {YamlScalars.Describe(node)}");
                else if (Base64(text) is { } bytes) values[key] = bytes;
                else r.Error(node, path, "must be base64 (A-Z, a-z, 0-9, '+', '/', '=' padding); write plain text under stringData instead");
            }
        if (document["stringData"] is { } strings)
            foreach (var (key, node) in Entries(strings, document.PathOf("stringData"), r))
            {
                var text = YamlScalars.IsNull(node) ? "" : (node as YamlScalarNode)?.Value;
                if (text is null) r.Error(node, FieldPath.Key(document.PathOf("stringData"), key), $"must be text, got {YamlScalars.Describe(node)}");
                else values[key] = Encoding.UTF8.GetBytes(text);
            }
        return Checked(values, root, r, errorsBefore);
    }

    /// <summary>Key -> text of a config, or null.</summary>
    public static Dictionary<string, string>? ReadConfig(FieldSet document, YamlNode root, ManifestReader r)
    {
        var errorsBefore = r.Errors.Count;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document["data"] is { } data)
            foreach (var (key, node) in Entries(data, document.PathOf("data"), r))
                if (YamlScalars.IsNull(node)) values[key] = "";
                else if (r.Text(node, FieldPath.Key(document.PathOf("data"), key)) is { } text) values[key] = text;
        var sizes = values.ToDictionary(v => v.Key, v => Encoding.UTF8.GetBytes(v.Value));
        return Checked(sizes, root, r, errorsBefore) is null ? null : values;
    }

    private static IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode node, string path, ManifestReader r)
    {
        if (r.Map(node, path, "keys to values") is not { } map) yield break;
        if (!r.AtMost(map, path, map.Children.Count, ManifestLimits.MaxDataKeys, "keys")) yield break;
        foreach (var (key, keyNode, value) in r.Entries(map, path))
        {
            if (TextRule.DataKey.Accepts(key)) yield return (key, value);
            else r.Error(keyNode, FieldPath.Key(path, key), $"key {YamlScalars.Quote(key)} is not valid: must be {TextRule.DataKey.Allowed}");
        }
    }

    private static Dictionary<string, byte[]>? Checked(Dictionary<string, byte[]> values, YamlNode root, ManifestReader r, int errorsBefore)
    {
        var total = values.Values.Sum(v => (long)v.Length);
        if (total > ManifestLimits.MaxDataBytes)
            r.Error(root, "data", $"the values are {ManifestLimits.Size(total)} together, more than the {ManifestLimits.Size(ManifestLimits.MaxDataBytes)} one object may hold");
        return r.Errors.Count == errorsBefore ? values : null;
    }

    /// <summary>Strict base64 (line breaks allowed, as YAML folds long values); null when it is not.</summary>
    private static byte[]? Base64(string text)
    {
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        var buffer = new byte[compact.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(compact, buffer, out var written) ? buffer[..written] : null;
    }
}
