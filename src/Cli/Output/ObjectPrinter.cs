using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Orc.Output;

/// <summary>
/// Prints one kind of object in every -o format, so that `get services`, `get replicas` and `get nodes` behave alike.
/// </summary>
/// <param name="Kind">The word before the slash in -o name: "service/web".</param>
/// <param name="Name">The object's name as -o name and `get KIND NAME` spell it.</param>
/// <param name="Document">The object as -o json shows it (and -o yaml, custom-columns and jsonpath read), with or without status.</param>
/// <param name="Yaml">When set, -o yaml of this kind (a list is a stream of documents); else the YAML of <paramref name="Document"/>.</param>
public sealed record ObjectPrinter<T>(
    string Kind,
    Func<T, string> Name,
    Func<IReadOnlyList<T>, bool, DateTimeOffset, Table> Table,
    Func<T, bool, JsonElement> Document,
    Func<IReadOnlyList<T>, bool, bool, string>? Yaml = null)
{
    /// <summary>A named get (<paramref name="single"/>) prints the object itself, a list prints them all, as kubectl does.</summary>
    public void Print(TextWriter output, TextWriter errors, string format, IReadOnlyList<T> items, bool single, bool showStatus, DateTimeOffset now)
    {
        switch (format)
        {
            case OutputFormat.Json:
                var documents = items.Select(i => Document(i, showStatus)).ToList();
                output.WriteLine(JsonSerializer.Serialize(single ? documents[0] : JsonSerializer.SerializeToElement(documents), Contracts.Json.Indented));
                return;
            case OutputFormat.Yaml:
                output.Write(Yaml is not null
                    ? Yaml(items, single, showStatus)
                    : YamlFromJson.Convert(single ? Document(items[0], showStatus) : JsonSerializer.SerializeToElement(items.Select(i => Document(i, showStatus)))));
                return;
            case OutputFormat.Name:
                foreach (var item in items) output.WriteLine($"{Kind}/{Name(item)}");
                return;
        }
        if (format.StartsWith(OutputFormat.JsonPathTemplate, StringComparison.Ordinal))
        {
            // kubectl applies a template to one object, or to a List whose items are the objects.
            var root = single
                ? Document(items[0], true)
                : JsonSerializer.SerializeToElement(new JsonObject { ["kind"] = "List", ["items"] = new JsonArray(items.Select(i => JsonNode.Parse(Document(i, true).GetRawText())).ToArray()) });
            var text = JsonPath.Render(format[OutputFormat.JsonPathTemplate.Length..], root);
            output.Write(text.EndsWith('\n') ? text : text + "\n");
            return;
        }
        if (items.Count == 0)
        {
            errors.WriteLine("No resources found.");
            return;
        }
        if (format.StartsWith(OutputFormat.CustomColumns, StringComparison.Ordinal))
        {
            var columns = OutputFormat.Columns(format);
            var table = new Table([.. columns.Select(c => c.Header)]);
            foreach (var item in items)
            {
                var document = Document(item, true);
                table.Add([.. columns.Select(c => JsonPath.Select(document, c.Path) is { Count: > 0 } values
                    ? string.Join(",", values.Select(JsonPath.Text)) : Cells.None)]);
            }
            table.Write(output);
            return;
        }
        Table(items, format == OutputFormat.Wide, now).Write(output);
    }
}
