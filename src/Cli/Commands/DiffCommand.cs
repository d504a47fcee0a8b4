using System.CommandLine;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc diff -f PATH`: what `apply` would change, computed by the server in a dry run that writes nothing: per object a
/// unified diff of the stored manifest against the file's, and what it would do ("scale 3 -> 5", "3 replica(s) will be
/// replaced by a rolling update"). As kubectl diff: exit 0 when nothing differs, 1 when something does.
/// </summary>
public sealed class DiffCommand(CliContext context)
{
    public Command Build()
    {
        var files = CommonOptions.Files("compare with what is stored");
        var command = new Command("diff", "Show what apply would change, object by object, without changing anything") { files };
        command.SetAction(async (parse, ct) =>
        {
            var collected = ManifestFileCollector.Read(parse.GetValue(files)!, context.Environment.Stdin);
            var request = new ApplyRequest { Files = ForeignManifests.Translate(collected, ignoreUnsupported: false, context.Err), DryRun = true };
            var response = await context.Api(parse).ApplyAsync(request, ct);
            var differs = false;
            foreach (var result in response.Results.Where(r => r.Diff is not null))
            {
                differs = true;
                context.Out.Write(result.Diff);
                foreach (var effect in result.Effects ?? []) context.Out.WriteLine($"# {effect}");
            }
            return differs ? Cli.FailureExitCode : 0;
        });
        return command;
    }
}
