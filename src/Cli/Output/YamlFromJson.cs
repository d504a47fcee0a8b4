using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Orc.Output;

/// <summary>
/// Turns the API's JSON into YAML, so that -o yaml shows exactly the fields -o json shows
/// (same names, same omitted nulls) without a second set of serializer settings to keep in step.
/// </summary>
public static partial class YamlFromJson
{
    public static string Convert(JsonElement json)
    {
        var stream = new YamlStream(new YamlDocument(ToNode(json)));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        return StripDocumentEnd(writer.ToString());
    }

    private static YamlNode ToNode(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => new YamlMappingNode(json.EnumerateObject()
            .Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Name), ToNode(p.Value)))),
        JsonValueKind.Array => new YamlSequenceNode(json.EnumerateArray().Select(ToNode)),
        JsonValueKind.String => StringNode(json.GetString() ?? ""),
        JsonValueKind.Null or JsonValueKind.Undefined => new YamlScalarNode("null"),
        _ => new YamlScalarNode(json.GetRawText()),
    };

    /// <summary>A string that a YAML reader would take for a number, bool or null is quoted so it stays a string.</summary>
    private static YamlScalarNode StringNode(string value) =>
        LooksLikeAnotherType().IsMatch(value) || value.Length == 0 || value.Trim() != value
            ? new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted }
            : new YamlScalarNode(value);

    [GeneratedRegex(@"^([-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex LooksLikeAnotherType();

    /// <summary>YamlStream ends every document with "...", which kubectl's output does not have.</summary>
    private static string StripDocumentEnd(string yaml)
    {
        var lines = yaml.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1] == "...") lines.RemoveAt(lines.Count - 1);
        return string.Join('\n', lines) + "\n";
    }
}
