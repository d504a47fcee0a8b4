using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Orc.Output;

/// <summary>
/// A service as `-o yaml` / `-o json` show it: the manifest <see cref="ManifestYaml"/> writes, which `orc apply -f -`
/// takes back unchanged (no wrapper, no uid, enums spelled as manifests spell them). The status is added only when asked
/// for (`--show-status`); apply rejects a status, so such output is for reading.
/// </summary>
public static class ManifestOutput
{
    public static string Yaml(ServiceView view, bool showStatus)
    {
        var manifest = ManifestYaml.Write(view.Service);
        if (!showStatus) return manifest;
        var status = YamlFromJson.Convert(JsonSerializer.SerializeToElement(view.Status, Contracts.Json.Options));
        return manifest.TrimEnd('\n') + "\nstatus:\n" + string.Concat(status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => $"  {l}\n"));
    }

    /// <summary>Several services as one stream of documents, the way a folder of manifests is applied.</summary>
    public static string Yaml(IEnumerable<ServiceView> views, bool showStatus) =>
        string.Join("---\n", views.Select(v => Yaml(v, showStatus)));

    public static JsonElement Json(ServiceView view, bool showStatus)
    {
        var manifest = ToJson(Load(ManifestYaml.Write(view.Service)))!.AsObject();
        if (showStatus) manifest["status"] = JsonSerializer.SerializeToNode(view.Status, Contracts.Json.Options);
        return JsonSerializer.SerializeToElement(manifest);
    }

    /// <summary>The writer quotes every text that would read as a number or a bool, so a plain scalar's type is certain.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            new KeyValuePair<string, JsonNode?>(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: { } v } when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } b => JsonValue.Create(b.Value == "true"),
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        _ => null,
    };

    private static YamlNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }
}
