using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Charts;

/// <summary>The release a chart is rendered for: Release.Name, Release.Namespace, Release.Revision in templates.</summary>
public sealed record ReleaseContext(string Name, string Namespace, long Revision);

/// <summary>
/// Renders a chart's Liquid templates (Fluid) with Values, Release and Chart in scope, into manifest files named as the
/// templates, so that the server's errors about a rendered object name the template. Every template is rendered even
/// after one failed, so that all errors come at once; any error means no file. Limits (ManifestLimits): steps and
/// nesting per template, characters of output per template.
/// </summary>
public static partial class ChartRenderer
{
    private static readonly FluidParser Parser = new();

    public static async Task<List<ManifestFile>> RenderAsync(Chart chart, Dictionary<string, object?> values, ReleaseContext release)
    {
        var files = new List<ManifestFile>();
        var errors = new List<ValidationError>();
        foreach (var template in chart.Templates)
        {
            var (text, templateErrors) = await RenderOneAsync(template, chart.Info, values, release);
            errors.AddRange(templateErrors);
            // A template whose conditions left nothing is no object (Helm skips it too).
            if (text is not null && YamlPreflight.Scan(text, template.Name, 0).Objects > 0)
                files.Add(new ManifestFile { Name = template.Name, Content = text });
        }
        if (errors.Count > 0)
            throw new CliException($"{errors.Count} error(s) rendering chart {chart.Info.Name}; nothing was sent", errors);
        if (files.Count == 0) throw new CliException($"chart {chart.Info.Name} rendered no objects");
        return files;
    }

    private static async Task<(string? Text, List<ValidationError> Errors)> RenderOneAsync(
        ChartTemplate template, ChartInfo chart, Dictionary<string, object?> values, ReleaseContext release)
    {
        if (!Parser.TryParse(template.Text, out var parsed, out var parseError))
            return (null, [ParseError(template.Name, parseError)]);
        parsed = new RangeGuard().VisitTemplate(parsed);
        var options = new TemplateOptions
        {
            MaxSteps = ManifestLimits.MaxTemplateSteps,
            MaxRecursion = ManifestLimits.MaxTemplateRecursion,
            CultureInfo = CultureInfo.InvariantCulture,
        };
        var missing = new List<string>();
        var context = new TemplateContext(options);
        context.SetValue("Values", TrackedValues.Wrap(values, "Values", missing, options));
        context.SetValue("Release", TrackedValues.Wrap(new Dictionary<string, object?>
        {
            ["Name"] = release.Name, ["Namespace"] = release.Namespace, ["Revision"] = release.Revision,
        }, "Release", missing, options));
        context.SetValue("Chart", TrackedValues.Wrap(new Dictionary<string, object?>
        {
            ["Name"] = chart.Name, ["Version"] = chart.Version, ["Description"] = chart.Description, ["AppVersion"] = chart.AppVersion,
        }, "Chart", missing, options));
        using var output = new BoundedWriter(ManifestLimits.MaxRenderedBytes);
        try
        {
            await parsed.RenderAsync(output, NullEncoder.Default, context);
        }
        catch (BoundedWriter.Full)
        {
            return (null, [new ValidationError { File = template.Name, Message =
                $"renders to more than {ManifestLimits.Size(ManifestLimits.MaxRenderedBytes)}, the most one template may produce" }]);
        }
        catch (RangeGuard.TooLong e)
        {
            return (null, [new ValidationError { File = template.Name, Message = $"stopped: {e.Message} (a loop too long?)" }]);
        }
        catch (InvalidOperationException)
        {
            // Fluid says "maximum level of recursion" for both of its limits.
            return (null, [new ValidationError { File = template.Name, Message =
                $"stopped: more than {ManifestLimits.MaxTemplateSteps} steps or {ManifestLimits.MaxTemplateRecursion} nested levels (a loop too long?)" }]);
        }
        catch (Exception e)
        {
            return (null, [new ValidationError { File = template.Name, Message = $"cannot be rendered: {e.Message}" }]);
        }
        var errors = missing.Distinct().Select(path => Missing(template, path)).ToList();
        return (errors.Count == 0 ? output.ToString() : null, errors);
    }

    /// <summary>A value the template reads but nobody set: located at the first line that names it.</summary>
    private static ValidationError Missing(ChartTemplate template, string path)
    {
        var (line, column) = Locate(template.Text, path) ?? Locate(template.Text, path[path.IndexOf('.')..]) ?? (0, 0);
        var message = path.StartsWith("Values.", StringComparison.Ordinal)
            ? "is not set: add it to values.yaml (null is fine), a -f file or --set"
            : "does not exist";
        return new ValidationError { File = template.Name, Line = line, Column = column, Path = path, Message = message };
    }

    private static (int Line, int Column)? Locate(string text, string needle)
    {
        var at = text.IndexOf(needle, StringComparison.Ordinal);
        if (at < 0) return null;
        var lineStart = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        return (text.AsSpan(0, at).Count('\n') + 1, at - lineStart + 1);
    }

    /// <summary>Fluid's "'{% endif %}' was expected at (2:13)" as file:2:13 and the message before the position.</summary>
    private static ValidationError ParseError(string file, string message)
    {
        var first = message.Split('\n')[0].Trim();
        var match = Position().Match(first);
        return match.Success
            ? new ValidationError
            {
                File = file, Line = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                Column = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), Message = $"template error: {first[..match.Index].Trim()}",
            }
            : new ValidationError { File = file, Message = $"template error: {first}" };
    }

    [GeneratedRegex(@"\s*at \((\d+):(\d+)\)\s*$")]
    private static partial Regex Position();
}
