using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// The shared tools of the Compose and Kubernetes translators: reading a foreign mapping against its known keys
/// (docs/compat.md lists them; a test checks both agree), and making our manifest's nodes that remember where they
/// came from. Three outcomes for a key: mapped, accepted and ignored (documented), or reported. A reported key is
/// either unsupported (an error, or a warning with <see cref="TranslationOptions.IgnoreUnsupported"/>) or refused
/// (always an error: privileged, the host's network, builds).
/// </summary>
internal sealed class Translator(ManifestReader r, TranslationOptions options)
{
    public ManifestReader Reader => r;
    public TranslationOptions Options => options;
    public List<ValidationError> Warnings { get; } = new();

    public void Unsupported(YamlNode node, string path, string message)
    {
        if (options.IgnoreUnsupported) Warnings.Add(r.At(node, path, message + " (ignored)"));
        else r.Error(node, path, message + "; leave it out, or pass --ignore-unsupported to skip it with a warning");
    }

    public void Refuse(YamlNode node, string path, string message) => r.Error(node, path, message);

    /// <summary>
    /// The keys of a foreign mapping: known ones by name; <paramref name="ignored"/> ones dropped; refused ones
    /// (with their reason) always errors; any other unsupported. Null when the node is not a mapping.
    /// </summary>
    public Dictionary<string, (YamlNode Key, YamlNode Value)>? Keys(YamlNode node, string path, KeyTable table)
    {
        if (node is not YamlMappingNode map)
        {
            r.Error(node, path, $"must be a mapping, got {YamlScalars.Describe(node)}");
            return null;
        }
        var known = new Dictionary<string, (YamlNode, YamlNode)>();
        foreach (var (name, key, value) in r.Entries(map, path))
        {
            var keyPath = FieldPath.Field(path, name);
            if (table.Mapped.Contains(name)) { if (!YamlScalars.IsNull(value)) known[name] = (key, value); }
            else if (table.Ignored.Contains(name) || table.IgnoredPrefix is { } prefix && name.StartsWith(prefix, StringComparison.Ordinal)) { }
            else if (table.Refused.GetValueOrDefault(name) is { } why) Refuse(key, keyPath, why);
            else Unsupported(key, keyPath, $"{YamlScalars.Quote(name)} is not supported; supported here: " +
                string.Join(", ", table.Mapped.Concat(table.Ignored)) + DidYouMean.Hint(name, table.Mapped));
        }
        return known;
    }

    public YamlMappingNode Map(YamlNode origin) => r.Origins.Made(new YamlMappingNode(), origin);

    public YamlSequenceNode List(YamlNode origin) => r.Origins.Made(new YamlSequenceNode(), origin);

    /// <summary>A text scalar; quoted when it would otherwise read back as a number, bool or null.</summary>
    public YamlScalarNode Text(string value, YamlNode origin) =>
        r.Origins.Made(new YamlScalarNode(value) { Style = YamlScalars.NeedsQuotes(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any }, origin);

    public YamlScalarNode Number(long value, YamlNode origin) =>
        r.Origins.Made(new YamlScalarNode(value.ToString(System.Globalization.CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain }, origin);

    /// <summary>A Compose or Kubernetes duration as whole seconds (probes count in seconds), or null after an error.</summary>
    public YamlScalarNode? Seconds(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && YamlScalars.TryGetInteger(scalar, out _)) return scalar;
        if (r.Text(node, path) is not { } text) return null;
        if (Durations.TryParse(text, out var duration) && duration.Ticks % TimeSpan.TicksPerSecond == 0)
            return Number((long)duration.TotalSeconds, node);
        r.Error(node, path, $"must be a duration in whole seconds, like \"10s\" or \"1m30s\", got {YamlScalars.Quote(text)}");
        return null;
    }
}

/// <summary>What a translator does with each key of one foreign mapping; docs/compat.md lists the same.</summary>
internal sealed record KeyTable(string Where, string[] Mapped, string[] Ignored, IReadOnlyDictionary<string, string> Refused)
{
    public string? IgnoredPrefix { get; init; }

    public static KeyTable Of(string where, string[] mapped, string[]? ignored = null, Dictionary<string, string>? refused = null) =>
        new(where, mapped, ignored ?? [], refused ?? new());
}

internal static class MappingExtensions
{
    public static YamlMappingNode With(this YamlMappingNode map, string key, YamlNode? value)
    {
        if (value is not null) map.Add(new YamlScalarNode(key), value);
        return map;
    }
}
