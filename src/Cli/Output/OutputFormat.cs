using System.CommandLine;

namespace Orchestrator.Orc.Output;

/// <summary>
/// -o: a table, the same table with more columns, the objects as JSON or YAML, their names ("service/web"), columns
/// picked by path (`custom-columns=NAME:.metadata.name`) or a template (`jsonpath={.spec.image}`), as kubectl's.
/// </summary>
public static class OutputFormat
{
    public const string Table = "table";
    public const string Wide = "wide";
    public const string Json = "json";
    public const string Yaml = "yaml";
    public const string Name = "name";
    public const string CustomColumns = "custom-columns=";
    public const string JsonPathTemplate = "jsonpath=";

    private static readonly string[] Plain = [Table, Wide, Json, Yaml, Name];

    public static Option<string> Option()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "table, wide, json, yaml, name, custom-columns=HEADER:.path,... or jsonpath={.path}",
            DefaultValueFactory = _ => Table,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>() ?? "";
            try
            {
                if (value.StartsWith(CustomColumns, StringComparison.Ordinal)) Columns(value);
                else if (value.StartsWith(JsonPathTemplate, StringComparison.Ordinal)) JsonPath.Validate(value[JsonPathTemplate.Length..]);
                else if (!Plain.Contains(value))
                    result.AddError($"-o \"{value}\" is not an output format; use one of {string.Join(", ", Plain)}, " +
                        $"{CustomColumns}HEADER:.path,... or {JsonPathTemplate}{{.path}}{Orchestrator.Contracts.DidYouMean.Hint(value, Plain)}");
            }
            catch (FormatException e)
            {
                result.AddError($"-o {value}: {e.Message}");
            }
        });
        return option;
    }

    /// <summary>"custom-columns=NAME:.metadata.name,IMAGE:.spec.image" -> (NAME, .metadata.name), (IMAGE, .spec.image).</summary>
    public static IReadOnlyList<(string Header, string Path)> Columns(string format)
    {
        var spec = format[CustomColumns.Length..];
        var columns = new List<(string, string)>();
        foreach (var column in spec.Split(','))
        {
            var colon = column.IndexOf(':');
            if (colon <= 0) throw new FormatException($"the column \"{column}\" is not HEADER:.path (like NAME:.metadata.name)");
            var path = column[(colon + 1)..];
            JsonPath.Steps(path);
            columns.Add((column[..colon], path));
        }
        return columns;
    }
}
