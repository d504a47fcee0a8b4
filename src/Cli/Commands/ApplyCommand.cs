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
        var command = new Command("apply", "Create or update the objects described in manifests") { files, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            var request = new ApplyRequest
            {
                Files = ManifestReader.Read(parse.GetValue(files)!, context.Environment.Stdin),
                DryRun = parse.GetValue(dryRun),
            };
            ResultLine.WriteAll(context.Out, await context.Api(parse).ApplyAsync(request, ct));
            return 0;
        });
        return command;
    }
}
