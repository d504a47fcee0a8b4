using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc apply -f PATH`: sends our manifests as written; the server parses, validates and stores all or nothing.
/// Compose files and Kubernetes manifests are translated and checked first (<see cref="ForeignManifests"/>).
/// Validation errors come back with file:line:column and are printed by <see cref="Cli"/>.
/// </summary>
public sealed class ApplyCommand(CliContext context)
{
    public Command Build()
    {
        var files = CommonOptions.Files("apply");
        var options = new ApplyOptions();
        var command = new Command("apply", "Create or update the objects described in manifests (also Compose files and Kubernetes manifests)") { files };
        options.AddTo(command);
        command.SetAction((parse, ct) => ApplyAsync(parse, ManifestFileCollector.Read(parse.GetValue(files)!, context.Environment.Stdin), options, ct));
        return command;
    }

    /// <summary>Translates what needs it, applies, prints a line per object and, with --wait, waits for each rollout.</summary>
    public async Task<int> ApplyAsync(ParseResult parse, List<ManifestFile> files, ApplyOptions options, CancellationToken ct)
    {
        var request = new ApplyRequest
        {
            Files = ForeignManifests.Translate(files, parse.GetValue(options.IgnoreUnsupported), context.Err),
            DryRun = parse.GetValue(options.DryRun),
        };
        var api = context.Api(parse);
        var response = await api.ApplyAsync(request, ct);
        ResultLine.WriteAll(context.Out, response);
        if (!parse.GetValue(options.Wait) || request.DryRun) return 0;
        var outcome = 0;
        foreach (var r in response.Results.Where(r => r.Action is ApplyActions.Created or ApplyActions.Configured && r.Kind == ObjectKinds.Service))
            outcome = Math.Max(outcome, await new RolloutWaiter(context, api).WaitAsync(r.Namespace, r.Name, parse.GetValue(options.Timeout), ct));
        return outcome;
    }
}

/// <summary>The options of apply and compose up.</summary>
public sealed class ApplyOptions
{
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Validate and show what would change, without changing anything" };
    public Option<bool> Wait { get; } = new("--wait") { Description = "Wait for the rollout of every changed service and report its outcome (exit 1 if one fails)" };
    public Option<TimeSpan> Timeout { get; } = RolloutCommand.Timeout("how long --wait waits for each rollout");
    public Option<bool> IgnoreUnsupported { get; } = new("--ignore-unsupported")
    {
        Description = "Compose files and Kubernetes manifests: skip unsupported keys with a warning instead of refusing the file (docs/compat.md)",
    };

    public void AddTo(Command command)
    {
        command.Add(DryRun);
        command.Add(Wait);
        command.Add(Timeout);
        command.Add(IgnoreUnsupported);
    }
}
