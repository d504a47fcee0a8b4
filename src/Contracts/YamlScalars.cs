using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// How manifests give meaning to YAML scalars. The representation model keeps only text and quoting style, so the
/// rules of YAML 1.2's core schema are applied here: an unquoted <c>~</c>, <c>null</c> or empty value means "not set",
/// an unquoted <c>42</c> is a number, and anything quoted stays text. The writer quotes text that would read back as
/// something else.
/// </summary>
internal static partial class YamlScalars
{
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && IsNullText(s.Value ?? "");

    /// <summary>An unquoted decimal integer, as YAML's core schema reads it.</summary>
    public static bool IsInteger(YamlScalarNode node) =>
        node.Style is ScalarStyle.Plain or ScalarStyle.Any && IsIntegerText(node.Value ?? "");

    public static bool IsIntegerText(string text) => Integer().IsMatch(text);

    /// <summary>Parses the integer text; false when it does not fit a long (and so exceeds every limit here).</summary>
    public static bool TryGetInteger(YamlScalarNode node, out long value)
    {
        value = 0;
        return IsInteger(node) && long.TryParse(node.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>True when the text, written without quotes, would be read as null, a bool or a number.</summary>
    public static bool NeedsQuotes(string text) =>
        IsNullText(text) || NonStringPlain().IsMatch(text);

    /// <summary>The value as a person wrote it, quoted, for "got ..." in messages; collections by their kind.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing (null)",
        YamlScalarNode s => Quote(s.Value ?? ""),
        _ => "an alias",
    };

    public static string Quote(string text) =>
        "\"" + Shortened(text).Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" + (text.Length > MaxQuoted ? $" ({text.Length} characters)" : "");

    // A message echoes what it refuses; a 3 MB value would make the answer itself the problem.
    private const int MaxQuoted = 256;

    private static string Shortened(string text) => text.Length > MaxQuoted ? text[..(MaxQuoted - 3)] + "..." : text;

    public static bool IsNullText(string text) => text is "" or "~" or "null" or "Null" or "NULL";

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    // Core schema bools, ints (decimal, octal, hex) and floats, including .inf and .nan.
    [GeneratedRegex(@"^(true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex NonStringPlain();
}
