using System.Globalization;
using Orchestrator.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Orchestrator.Orc.Charts;

/// <summary>
/// A chart's values: values.yaml, then each -f file, then each --set, later ones winning key by key (Helm's order).
/// Held as plain maps, lists and scalars (long, double, bool, text, null) so that templates and YAML both read them.
/// </summary>
public static class ChartValues
{
    /// <summary>A YAML file of values as a map; an empty file is no values. Errors name the file, line and column.</summary>
    public static Dictionary<string, object?> Parse(string yaml, string file)
    {
        if (yaml.Length > ManifestLimits.MaxChartFileBytes)
            throw new CliException($"{file} is {ManifestLimits.Size(yaml.Length)}, more than the {ManifestLimits.Size(ManifestLimits.MaxChartFileBytes)} a values file may be");
        if (YamlPreflight.Scan(yaml, file, 0).Error is { } limit) throw new CliException($"{file} breaks an input limit", [limit]);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new CliException($"{file} is not valid YAML", [At(file, e.Start, "", e.Message)]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" }) return new();
        if (stream.Documents.Count > 1) throw new CliException($"{file} holds {stream.Documents.Count} documents; a values file is one mapping");
        return stream.Documents[0].RootNode is YamlMappingNode map
            ? (Dictionary<string, object?>)From(map, file, "")!
            : throw new CliException($"{file} must be a mapping of values", [At(file, stream.Documents[0].RootNode.Start, "", "must be a mapping like \"replicas: 3\"")]);
    }

    /// <summary>Puts <paramref name="overrides"/> over <paramref name="values"/>: maps merge key by key, anything else is replaced.</summary>
    public static void Merge(Dictionary<string, object?> values, Dictionary<string, object?> overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is Dictionary<string, object?> inner && values.GetValueOrDefault(key) is Dictionary<string, object?> existing)
                Merge(existing, inner);
            else values[key] = value;
        }
    }

    /// <summary>`--set a.b=c`: the path's maps are made as needed; the value is read as YAML reads a plain scalar.</summary>
    public static void Set(Dictionary<string, object?> values, string assignment)
    {
        var equals = assignment.IndexOf('=');
        var path = equals > 0 ? assignment[..equals] : "";
        var segments = path.Split('.');
        if (equals <= 0 || segments.Any(s => s.Length == 0))
            throw new CliException($"--set {assignment}: must be PATH=VALUE with a dotted path, like --set image.tag=2");
        var map = values;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (map.GetValueOrDefault(segments[i]) is not Dictionary<string, object?> next)
            {
                if (map.GetValueOrDefault(segments[i]) is { } scalar)
                    throw new CliException($"--set {assignment}: {string.Join('.', segments[..(i + 1)])} is {Describe(scalar)}, not a mapping");
                map[segments[i]] = next = new();
            }
            map = next;
        }
        map[segments[^1]] = Scalar(assignment[(equals + 1)..]);
    }

    /// <summary>The values as YAML, as a release stores them.</summary>
    public static string ToYaml(Dictionary<string, object?> values) =>
        values.Count == 0 ? "{}\n" : new SerializerBuilder().Build().Serialize(values);

    private static object? From(YamlNode node, string file, string path) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            e => e.Key is YamlScalarNode { Value: { } k } ? k : throw new CliException($"{file}: keys must be text", [At(file, e.Key.Start, path, "keys must be text")]),
            e => From(e.Value, file, Join(path, ((YamlScalarNode)e.Key).Value!))),
        YamlSequenceNode list => list.Children.Select((item, i) => From(item, file, $"{path}[{i}]")).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } plain => Scalar(plain.Value ?? ""),
        YamlScalarNode quoted => quoted.Value ?? "",
        _ => null,
    };

    /// <summary>A plain scalar as YAML 1.2's core schema reads it: null, bool, whole number, number, else text.</summary>
    private static object? Scalar(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return true;
        if (text is "false" or "False" or "FALSE") return false;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)) return whole;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)) return number;
        return text;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Describe(object value) => value switch
    {
        string s => $"the text \"{s}\"",
        List<object?> => "a list",
        _ => $"the value {Convert.ToString(value, CultureInfo.InvariantCulture)}",
    };

    private static ValidationError At(string file, Mark mark, string path, string message) =>
        new() { File = file, Line = (int)mark.Line, Column = (int)mark.Column, Path = path, Message = message };
}
