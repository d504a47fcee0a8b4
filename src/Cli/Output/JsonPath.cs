using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Orc.Output;

/// <summary>
/// The part of kubectl's JSONPath people use on the command line: `.a.b`, `[0]`, `[*]`, in a template where `{...}`
/// holds a path and the rest is text (`{.metadata.name}{"\n"}`). Values of a `[*]` are joined with spaces, as kubectl does.
/// </summary>
public static class JsonPath
{
    public const string Allowed = "a path like .metadata.name, .spec.ports[0].containerPort or .items[*].metadata.name";

    /// <summary>The values <paramref name="path"/> reaches in <paramref name="root"/>; none when it reaches nothing.</summary>
    public static IReadOnlyList<JsonElement> Select(JsonElement root, string path)
    {
        var current = new List<JsonElement> { root };
        foreach (var step in Steps(path))
        {
            var next = new List<JsonElement>();
            foreach (var element in current)
            {
                if (step == "*" && element.ValueKind == JsonValueKind.Array) next.AddRange(element.EnumerateArray());
                else if (int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                         && element.ValueKind == JsonValueKind.Array && index < element.GetArrayLength()) next.Add(element[index]);
                else if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(step, out var child)) next.Add(child);
            }
            current = next;
        }
        return current;
    }

    /// <summary>".spec.ports[0].port" -> spec, ports, 0, port. Throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static IReadOnlyList<string> Steps(string path)
    {
        var text = path.Trim();
        if (text is "" or ".") return [];
        if (text[0] != '.') throw new FormatException($"\"{path}\" is not {Allowed}");
        var steps = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var end = text.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = text.Length;
                if (end == i + 1) throw new FormatException($"\"{path}\" has an empty step; it should be {Allowed}");
                steps.Add(text[(i + 1)..end]);
                i = end;
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                var inside = end < 0 ? "" : text[(i + 1)..end];
                if (inside != "*" && !int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    throw new FormatException($"\"{path}\" has an index that is neither a number nor *; it should be {Allowed}");
                steps.Add(inside);
                i = end + 1;
            }
            else throw new FormatException($"\"{path}\" is not {Allowed}");
        }
        return steps;
    }

    /// <summary>A value as a cell or template shows it: text bare, numbers as written, objects and lists as compact JSON.</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };

    /// <summary>Checks a template and each path in it; throws <see cref="FormatException"/> at the first fault.</summary>
    public static void Validate(string template) => Render(template, default, validateOnly: true);

    public static string Render(string template, JsonElement root) => Render(template, root, validateOnly: false);

    private static string Render(string template, JsonElement root, bool validateOnly)
    {
        var output = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                output.Append(template[i..]);
                break;
            }
            output.Append(template[i..open]);
            var close = template.IndexOf('}', open);
            if (close < 0) throw new FormatException($"the template \"{template}\" opens a {{ that it does not close");
            var inside = template[(open + 1)..close].Trim();
            if (inside.Length >= 2 && inside[0] == '"' && inside[^1] == '"')
                output.Append(inside[1..^1].Replace("\\n", "\n").Replace("\\t", "\t"));
            else if (validateOnly) Steps(inside);
            else output.Append(string.Join(' ', Select(root, inside).Select(Text)));
            i = close + 1;
        }
        return output.ToString();
    }
}
