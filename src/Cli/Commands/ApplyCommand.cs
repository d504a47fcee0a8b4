using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc apply -f PATH`: sends the files as written; the server parses, validates and stores all or nothing.
/// Validation errors come back with file:line:column and are printed by <see cref="Cli"/>.
/// </summary>
public sealed class ApplyCommand(CliContext context)
{
    public Command Build()
    {
        var files = CommonOptions.Files("apply");
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate and show what would change, without changing anything" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the rollout of every changed service and report its outcome (exit 1 if one fails)" };
        var timeout = RolloutCommand.Timeout("how long --wait waits for each rollout");
        var command = new Command("apply", "Create or update the objects described in manifests") { files, dryRun, wait, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var request = new ApplyRequest
            {
                Files = ManifestFileCollector.Read(parse.GetValue(files)!, context.Environment.Stdin),
                DryRun = parse.GetValue(dryRun),
            };
            var api = context.Api(parse);
            var response = await api.ApplyAsync(request, ct);
            ResultLine.WriteAll(context.Out, response);
            if (!parse.GetValue(wait) || request.DryRun) return 0;
            var outcome = 0;
            foreach (var r in response.Results.Where(r => r.Action is ApplyActions.Created or ApplyActions.Configured))
                outcome = Math.Max(outcome, await new RolloutWaiter(context, api).WaitAsync(r.Namespace, r.Name, parse.GetValue(timeout), ct));
            return outcome;
        });
        return command;
    }
}
