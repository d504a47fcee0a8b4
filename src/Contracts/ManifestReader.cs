using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>
/// Typed reading of one manifest file's YAML nodes. Every problem becomes a <see cref="ValidationError"/> at the
/// offending node and reading goes on, so that a person sees all mistakes of a file at once. A read that fails
/// answers null; callers decide by <see cref="Errors"/> whether anything they built is usable.
/// </summary>
internal sealed class ManifestReader(string file)
{
    public string File => file;
    public List<ValidationError> Errors { get; } = new();
    /// <summary>Every spec.ports[].publishedPort read, where it stands: claims across documents and services are checked later.</summary>
    public List<PublishedPortClaim> PublishedPorts { get; } = new();

    public ValidationError At(YamlNode node, string path) =>
        new() { File = file, Line = (int)node.Start.Line, Column = (int)node.Start.Column, Path = path };
    /// <summary>Every reference to a Secret or Config read, with its position; the document fills in namespace and service.</summary>
    public List<DataReference> References { get; } = new();

    public void Reference(YamlNode node, string path, string kind, string name, string? key, bool optional) =>
        References.Add(new DataReference
        {
            Kind = kind, Name = name, Key = key, Optional = optional,
            At = new ValidationError { File = file, Line = (int)node.Start.Line, Column = (int)node.Start.Column, Path = path },
        });

    /// <summary>Positions of nodes a translation made (Compose, Kubernetes), so errors point at the original text.</summary>
    public NodeOrigins Origins { get; } = new();

    public void Error(YamlNode node, string path, string message) => Errors.Add(At(node, path, message));

    public ValidationError At(YamlNode node, string path, string message)
    {
        var origin = Origins.Of(node);
        return new ValidationError
        {
            File = file,
            Line = (int)origin.Start.Line,
            Column = (int)origin.Start.Column,
            Path = path,
            Message = message,
        };
    }

    /// <summary>
    /// The fields of a mapping that are in <paramref name="allowed"/>; every other field is reported, those in
    /// <paramref name="refused"/> with their own explanation.
    /// </summary>
    public FieldSet? Fields(YamlNode node, string path, IReadOnlyList<string> allowed,
        IReadOnlyDictionary<string, string>? refused = null)
    {
        if (node is not YamlMappingNode map)
        {
            var expected = $"a mapping with fields {string.Join(", ", allowed)}";
            Error(node, path, path.Length == 0
                ? $"a manifest document must be {expected}, got {YamlScalars.Describe(node)}"
                : $"must be {expected}, got {YamlScalars.Describe(node)}");
            return null;
        }
        var known = new Dictionary<string, KeyValuePair<YamlNode, YamlNode>>();
        foreach (var (name, key, value) in Entries(map, path))
        {
            if (allowed.Contains(name)) known[name] = new(key, value);
            else if (refused?.GetValueOrDefault(name) is { } why) Error(key, FieldPath.Field(path, name), why);
            else Error(key, FieldPath.Field(path, name),
                $"unknown field {YamlScalars.Quote(name)}; allowed: {string.Join(", ", allowed)}{DidYouMean.Hint(name, allowed)}");
        }
        return new FieldSet(map, path, known);
    }

    /// <summary>The value of a field that must be set; a missing one is reported with what is allowed.</summary>
    public YamlNode? Required(FieldSet fields, string field, string allowed)
    {
        if (fields[field] is { } value) return value;
        Error(fields.LocationOf(field), fields.PathOf(field), $"required: {allowed}");
        return null;
    }

    /// <summary>The text of a field that must be set and follow <paramref name="rule"/>.</summary>
    public string? RequiredText(FieldSet fields, string field, TextRule rule) =>
        Required(fields, field, rule.Allowed) is { } node ? Text(node, fields.PathOf(field), rule) : null;

    /// <summary>The entries of a user's map (labels, env); keys must be plain text.</summary>
    public IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlMappingNode map, string path)
    {
        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && !YamlScalars.IsNull(key)) yield return (name, key, value);
            else Error(key, path, $"keys must be text, got {YamlScalars.Describe(key)}");
        }
    }

    /// <summary>False, with an error naming the limit, when a list or map holds more than <paramref name="max"/> items.</summary>
    public bool AtMost(YamlNode node, string path, int count, int max, string items)
    {
        if (count <= max) return true;
        Error(node, path, $"at most {max} {items} are allowed, got {count}");
        return false;
    }

    public YamlMappingNode? Map(YamlNode node, string path, string entries)
    {
        if (node is YamlMappingNode map) return map;
        Error(node, path, $"must be a mapping of {entries}, got {YamlScalars.Describe(node)}");
        return null;
    }

    /// <summary>
    /// A user's map of text to text (labels, env). A key written without a value stands for the empty text;
    /// keys and values that break the rules are reported with what is allowed.
    /// </summary>
    public Dictionary<string, string> TextMap(YamlMappingNode map, string path, TextRule keys, TextRule values)
    {
        var result = new Dictionary<string, string>();
        foreach (var (key, keyNode, valueNode) in Entries(map, path))
        {
            var entryPath = FieldPath.Key(path, key);
            if (!keys.Accepts(key)) Error(keyNode, entryPath, $"key {YamlScalars.Quote(key)} is not valid: must be {keys.Allowed}");
            var value = YamlScalars.IsNull(valueNode) ? "" : Text(valueNode, entryPath, values);
            if (value is not null) result[key] = value;
        }
        return result;
    }

    public YamlSequenceNode? List(YamlNode node, string path, string items)
    {
        if (node is YamlSequenceNode list) return list;
        var hint = node is YamlScalarNode ? "; write a single value as a one-element list" : "";
        Error(node, path, $"must be a list of {items}, got {YamlScalars.Describe(node)}{hint}");
        return null;
    }

    /// <summary>A scalar as text; numbers and bools are kept as written.</summary>
    public string? Text(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && !YamlScalars.IsNull(node)) return text;
        Error(node, path, $"must be text, got {YamlScalars.Describe(node)}");
        return null;
    }

    /// <summary>A scalar as text that must follow <paramref name="rule"/>.</summary>
    public string? Text(YamlNode node, string path, TextRule rule)
    {
        if (Text(node, path) is not { } text) return null;
        if (rule.Accepts(text)) return text;
        Error(node, path, $"must be {rule.Allowed}, got {YamlScalars.Quote(text)}");
        return null;
    }

    public List<string>? TextList(YamlNode node, string path)
    {
        if (List(node, path, "strings, like [\"sh\", \"-c\", \"echo hello\"]") is not { } list) return null;
        if (!AtMost(list, path, list.Children.Count, ManifestLimits.MaxCommandItems, "items")) return null;
        var texts = list.Children.Select((item, i) => Text(item, FieldPath.Index(path, i), TextRule.CommandItem)).ToList();
        return texts.Contains(null) ? null : texts.OfType<string>().ToList();
    }

    /// <summary>A duration like "10s", canonical; <paramref name="allowZero"/> says whether "0s" is allowed.</summary>
    public string? Duration(YamlNode node, string path, bool allowZero = false)
    {
        if (Text(node, path) is not { } text) return null;
        if (!Durations.TryParse(text, out var duration))
            Error(node, path, $"must be {Durations.Allowed}, got {YamlScalars.Quote(text)}");
        else if (duration <= TimeSpan.Zero && !(allowZero && duration == TimeSpan.Zero))
            Error(node, path, $"must be more than 0, got {YamlScalars.Quote(text)}");
        else
            return Durations.Format(duration);
        return null;
    }

    /// <summary>An unquoted true or false (YAML 1.2's core schema, so also True and FALSE).</summary>
    public bool? Bool(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any, Value: { } text })
        {
            if (text is "true" or "True" or "TRUE") return true;
            if (text is "false" or "False" or "FALSE") return false;
        }
        Error(node, path, $"must be true or false, got {YamlScalars.Describe(node)}");
        return null;
    }

    /// <summary>One of a fixed set of words; the message lists them and suggests the closest.</summary>
    public string? Word(YamlNode node, string path, IReadOnlyList<string> words)
    {
        if (Text(node, path) is not { } text) return null;
        if (words.Contains(text)) return text;
        Error(node, path, $"must be one of {string.Join(", ", words)}, got {YamlScalars.Quote(text)}{DidYouMean.Hint(text, words)}");
        return null;
    }

    /// <summary>An unquoted whole number in [min, max]; the message names the range and the value given.</summary>
    public long? WholeNumber(YamlNode node, string path, long min, long max)
    {
        if (node is YamlScalarNode scalar && YamlScalars.TryGetInteger(scalar, out var n) && n >= min && n <= max) return n;
        var range = max == long.MaxValue ? $">= {min}" : $"from {min} to {max}";
        var quoted = node is YamlScalarNode { Value: { } text } s && !YamlScalars.IsInteger(s) && YamlScalars.IsIntegerText(text)
            ? " (quoted, so it is text; write the number without quotes)"
            : "";
        Error(node, path, $"must be a whole number {range}, got {YamlScalars.Describe(node)}{quoted}");
        return null;
    }
}

/// <summary>The allowed fields of one mapping, after unknown ones were reported.</summary>
internal sealed class FieldSet(YamlMappingNode node, string path, IReadOnlyDictionary<string, KeyValuePair<YamlNode, YamlNode>> fields)
{
    public string PathOf(string field) => FieldPath.Field(path, field);

    /// <summary>The field's value, or null when it is absent or written as null: both mean "not set".</summary>
    public YamlNode? this[string field] =>
        fields.TryGetValue(field, out var entry) && !YamlScalars.IsNull(entry.Value) ? entry.Value : null;

    /// <summary>Where to point when a field is missing: its key when written as null, else the mapping.</summary>
    public YamlNode LocationOf(string field) => fields.TryGetValue(field, out var entry) ? entry.Key : node;
}
