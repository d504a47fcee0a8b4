using Orchestrator.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Orc.Charts;

/// <summary>One template of a chart: its path as shown in errors (charts/web/templates/web.yaml) and its text.</summary>
public sealed record ChartTemplate(string Name, string Text);

/// <summary>
/// A chart folder as read from disk: charts/NAME/Chart.yaml (name, version, description, appVersion), values.yaml
/// and templates/*.yaml (sorted by name, so a render is the same everywhere).
/// </summary>
public sealed record Chart(string Folder, ChartInfo Info, Dictionary<string, object?> Values, IReadOnlyList<ChartTemplate> Templates)
{
    private static readonly string[] Fields = ["apiVersion", "name", "version", "description", "appVersion"];

    public static Chart Load(string folder)
    {
        folder = folder.TrimEnd('/');
        if (!Directory.Exists(folder)) throw new CliException($"the chart folder \"{folder}\" does not exist");
        var chartFile = Path.Join(folder, "Chart.yaml");
        if (!File.Exists(chartFile)) throw new CliException($"{folder} is not a chart: it has no Chart.yaml");
        var info = ReadInfo(chartFile, ReadText(chartFile));
        var valuesFile = Path.Join(folder, "values.yaml");
        var values = File.Exists(valuesFile) ? ChartValues.Parse(ReadText(valuesFile), valuesFile) : new();
        var templatesFolder = Path.Join(folder, "templates");
        var names = Directory.Exists(templatesFolder)
            ? Directory.EnumerateFiles(templatesFolder)
                .Where(f => Path.GetExtension(f) is ".yaml" or ".yml")
                .Order(StringComparer.Ordinal).ToList()
            : [];
        if (names.Count == 0) throw new CliException($"{folder} has no templates (templates/*.yaml)");
        if (names.Count > ManifestLimits.MaxChartTemplates)
            throw new CliException($"{folder} has {names.Count} templates, more than the {ManifestLimits.MaxChartTemplates} a chart may have");
        return new Chart(folder, info, values, names.Select(n => new ChartTemplate(n, ReadText(n))).ToList());
    }

    private static string ReadText(string path)
    {
        var size = new FileInfo(path).Length;
        if (size > ManifestLimits.MaxChartFileBytes)
            throw new CliException($"{path} is {ManifestLimits.Size(size)}, more than the {ManifestLimits.Size(ManifestLimits.MaxChartFileBytes)} a chart file may be");
        return File.ReadAllText(path);
    }

    /// <summary>Chart.yaml: name (a DNS label) and version are required; unknown fields are named with their line.</summary>
    public static ChartInfo ReadInfo(string file, string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new CliException($"{file} is not valid YAML", [Error(file, e.Start, "", e.Message)]);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode map)
            throw new CliException($"{file} must be one mapping with {string.Join(", ", Fields)}");
        var errors = new List<ValidationError>();
        var found = new Dictionary<string, string>();
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!Fields.Contains(name))
                errors.Add(Error(file, key.Start, name, $"unknown field \"{name}\"; allowed: {string.Join(", ", Fields)}{DidYouMean.Hint(name, Fields)}"));
            else if (value is YamlScalarNode { Value: { } text }) found[name] = text;
            else errors.Add(Error(file, value.Start, name, "must be text"));
        }
        var chartName = found.GetValueOrDefault("name");
        if (chartName is null) errors.Add(Error(file, map.Start, "name", "required: the chart's name, like web"));
        else if (!Names.IsDns1123Label(chartName)) errors.Add(Error(file, map.Start, "name", $"must be {Names.Dns1123Allowed}, got \"{chartName}\""));
        if (!found.ContainsKey("version")) errors.Add(Error(file, map.Start, "version", "required: the chart's version, like 1.0.0"));
        if (errors.Count > 0) throw new CliException($"{errors.Count} error(s) in {file}", errors);
        return new ChartInfo
        {
            Name = chartName!, Version = found["version"],
            Description = found.GetValueOrDefault("description"), AppVersion = found.GetValueOrDefault("appVersion"),
        };
    }

    private static ValidationError Error(string file, Mark mark, string path, string message) =>
        new() { File = file, Line = (int)mark.Line, Column = (int)mark.Column, Path = path, Message = message };
}
