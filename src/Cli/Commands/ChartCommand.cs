using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Charts;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc chart template|install|upgrade|rollback|uninstall|list|history`, as Helm's. The chart is rendered here (the
/// chart folder is on this machine); the control plane validates the rendered objects, and writes them and the
/// release's new revision in one transaction (docs/charts.md).
/// </summary>
public sealed class ChartCommand(CliContext context)
{
    public Command Build() => new("chart", "Render, install, upgrade, roll back and uninstall charts (releases of several services)")
    {
        Template(), Write(ReleaseModes.Install), Write(ReleaseModes.Upgrade), Rollback(), Uninstall(), List(), History(),
    };

    private static Argument<string> Release() => new("RELEASE") { Description = "The release's name" };
    private static Argument<string> ChartFolder() => new("CHART") { Description = "The chart's folder, like charts/web" };

    private static Option<string[]> ValueFiles() => new("--values", "-f")
    {
        Description = "A YAML file of values over the chart's values.yaml; repeatable, later ones win",
    };

    private static Option<string[]> Sets() => new("--set")
    {
        Description = "A value as PATH=VALUE (image.tag=2), over values.yaml and -f; repeatable",
    };

    private Command Template()
    {
        var (chart, ns, files, sets) = (ChartFolder(), CommonOptions.Namespace(), ValueFiles(), Sets());
        var name = new Option<string>("--name") { Description = "Release.Name in the templates", DefaultValueFactory = _ => "release" };
        var command = new Command("template", "Render a chart to stdout without sending anything") { chart, name, ns, files, sets };
        command.SetAction(async parse =>
        {
            var (_, _, rendered) = await RenderAsync(parse.GetValue(chart)!, parse.GetValue(files)!, parse.GetValue(sets)!,
                new ReleaseContext(parse.GetValue(name)!, parse.GetValue(ns)!, 1));
            foreach (var file in rendered)
            {
                context.Out.WriteLine("---");
                context.Out.WriteLine($"# Source: {file.Name}");
                context.Out.Write(file.Content.EndsWith('\n') ? file.Content : file.Content + "\n");
            }
            return 0;
        });
        return command;
    }

    /// <summary>install and upgrade: render, send, print what each object became; --wait follows every changed service.</summary>
    private Command Write(string mode)
    {
        var (release, chart, ns, files, sets) = (Release(), ChartFolder(), CommonOptions.Namespace(), ValueFiles(), Sets());
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate and show what would change, without changing anything" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the rollout of every changed service (exit 1 if one fails)" };
        var timeout = RolloutCommand.Timeout("how long --wait waits for each rollout");
        var command = new Command(mode, mode == ReleaseModes.Install
            ? "Install a chart as a new release: every object or none"
            : "Upgrade a release to a chart and values: changed objects updated, objects no longer rendered removed")
            { release, chart, ns, files, sets, dryRun, wait, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var (name, nsName) = (parse.GetValue(release)!, parse.GetValue(ns)!);
            if (!Names.IsDns1123Label(name)) throw new CliException($"release name \"{name}\" is not valid: must be {Names.Dns1123Allowed}");
            var api = context.Api(parse);
            // The revision a template sees is the one this write will make (Helm's .Release.Revision).
            var revision = mode == ReleaseModes.Install ? 1 : await NextRevisionAsync(api, nsName, name, ct);
            var (info, values, rendered) = await RenderAsync(parse.GetValue(chart)!, parse.GetValue(files)!, parse.GetValue(sets)!,
                new ReleaseContext(name, nsName, revision));
            var answer = await api.WriteReleaseAsync(nsName, name, new ReleaseRequest
            {
                Mode = mode, Chart = info, Values = ChartValues.ToYaml(values), Files = rendered, DryRun = parse.GetValue(dryRun),
            }, ct);
            return await ReportAsync(api, answer, parse.GetValue(dryRun) ? "would be written (dry run)" : "written",
                parse.GetValue(wait) && !parse.GetValue(dryRun), parse.GetValue(timeout), ct);
        });
        return command;
    }

    private Command Rollback()
    {
        var (release, ns) = (Release(), CommonOptions.Namespace());
        var revision = new Argument<long?>("REVISION") { Description = "The revision to go back to (default: the one before the current)", Arity = ArgumentArity.ZeroOrOne };
        var wait = new Option<bool>("--wait") { Description = "Wait for the rollout of every changed service (exit 1 if one fails)" };
        var timeout = RolloutCommand.Timeout("how long --wait waits for each rollout");
        var command = new Command("rollback", "Apply an earlier revision's objects again, as a new revision") { release, revision, ns, wait, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var api = context.Api(parse);
            var answer = await api.RollBackReleaseAsync(parse.GetValue(ns)!, parse.GetValue(release)!, parse.GetValue(revision) ?? 0, ct);
            return await ReportAsync(api, answer, "written", parse.GetValue(wait), parse.GetValue(timeout), ct);
        });
        return command;
    }

    private Command Uninstall()
    {
        var (release, ns) = (Release(), CommonOptions.Namespace());
        var command = new Command("uninstall", "Delete a release's objects and its history, in one transaction") { release, ns };
        command.SetAction(async (parse, ct) =>
        {
            var answer = await context.Api(parse).UninstallReleaseAsync(parse.GetValue(ns)!, parse.GetValue(release)!, ct);
            foreach (var r in answer.Results) context.Out.WriteLine(ResultLine.Of(r, dryRun: false));
            context.Out.WriteLine($"release \"{answer.Name}\" uninstalled");
            return 0;
        });
        return command;
    }

    private Command List()
    {
        var (ns, all) = (CommonOptions.NamespaceFilter(), CommonOptions.AllNamespaces());
        var command = new Command("list", "List releases with their current revision") { ns, all };
        command.Aliases.Add("ls");
        command.SetAction(async (parse, ct) =>
        {
            var releases = await context.Api(parse).ListReleasesAsync(parse.GetValue(all) ? null : parse.GetValue(ns), ct);
            if (releases.Count == 0)
            {
                context.Err.WriteLine("No releases found.");
                return 0;
            }
            var table = new Table("NAMESPACE", "NAME", "REVISION", "STATUS", "CHART", "APP VERSION", "SERVICES", "UPDATED");
            foreach (var r in releases)
                table.Add(r.Namespace, r.Name, r.Revision.ToString(), r.Status, $"{r.Chart.Name}-{r.Chart.Version}",
                    r.Chart.AppVersion ?? "", r.Services.ToString(), Age.Since(r.CreatedAt, context.Now));
            table.Write(context.Out);
            return 0;
        });
        return command;
    }

    private Command History()
    {
        var (release, ns) = (Release(), CommonOptions.Namespace());
        var command = new Command("history", "List a release's revisions (the last 10)") { release, ns };
        command.SetAction(async (parse, ct) =>
        {
            var revisions = await context.Api(parse).ReleaseHistoryAsync(parse.GetValue(ns)!, parse.GetValue(release)!, ct);
            var table = new Table("REVISION", "STATUS", "CHART", "APP VERSION", "DESCRIPTION", "AGE");
            foreach (var r in revisions)
                table.Add(r.Revision.ToString(), r.Status, $"{r.Chart.Name}-{r.Chart.Version}", r.Chart.AppVersion ?? "",
                    r.Description, Age.Since(r.CreatedAt, context.Now));
            table.Write(context.Out);
            return 0;
        });
        return command;
    }

    private static async Task<long> NextRevisionAsync(OrcApi api, string ns, string name, CancellationToken ct) =>
        (await api.ReleaseHistoryAsync(ns, name, ct)).Max(r => r.Revision) + 1;

    private async Task<(ChartInfo Info, Dictionary<string, object?> Values, List<ManifestFile> Files)> RenderAsync(
        string folder, string[] valueFiles, string[] sets, ReleaseContext release)
    {
        if (valueFiles.Length + sets.Length > ManifestLimits.MaxValueOverrides)
            throw new CliException($"{valueFiles.Length + sets.Length} -f and --set given, more than the {ManifestLimits.MaxValueOverrides} allowed");
        var chart = Chart.Load(folder);
        var values = chart.Values;
        foreach (var file in valueFiles)
        {
            if (!File.Exists(file)) throw new CliException($"the values file \"{file}\" does not exist");
            ChartValues.Merge(values, ChartValues.Parse(await File.ReadAllTextAsync(file), file));
        }
        foreach (var set in sets) ChartValues.Set(values, set);
        return (chart.Info, values, await ChartRenderer.RenderAsync(chart, values, release));
    }

    private async Task<int> ReportAsync(OrcApi api, ReleaseResponse answer, string written, bool wait, TimeSpan timeout, CancellationToken ct)
    {
        foreach (var r in answer.Results) context.Out.WriteLine(ResultLine.Of(r, dryRun: false));
        context.Out.WriteLine($"release \"{answer.Name}\" revision {answer.Revision} {written}");
        if (!wait) return 0;
        var outcome = 0;
        foreach (var r in answer.Results.Where(r => r.Kind == ObjectKinds.Service && r.Action is ApplyActions.Created or ApplyActions.Configured))
            outcome = Math.Max(outcome, await new RolloutWaiter(context, api).WaitAsync(r.Namespace, r.Name, timeout, ct));
        return outcome;
    }
}
