using System.CommandLine;
using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

/// <summary>-o: a table, the same table with more columns, or the API objects themselves as JSON or YAML.</summary>
public static class OutputFormat
{
    public const string Table = "table";
    public const string Wide = "wide";
    public const string Json = "json";
    public const string Yaml = "yaml";

    public static Option<string> Option()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "table, wide, json or yaml",
            DefaultValueFactory = _ => Table,
        };
        option.AcceptOnlyFromAmong(Table, Wide, Json, Yaml);
        return option;
    }

    /// <summary>Writes <paramref name="value"/> when the format is json or yaml; false means the caller prints a table.</summary>
    public static bool TryWriteObject<T>(string format, T value, TextWriter output)
    {
        if (format is not (Json or Yaml)) return false;
        if (format == Json) output.WriteLine(Orchestrator.Contracts.Json.Serialize(value, indented: true));
        else output.Write(YamlFromJson.Convert(JsonSerializer.SerializeToElement(value, Orchestrator.Contracts.Json.Options)));
        return true;
    }
}
