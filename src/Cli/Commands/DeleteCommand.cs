using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc delete service NAME` fails when there is nothing to delete, because the user named one object and it is not there;
/// `orc delete -f PATH` reports "not found" per object and succeeds, so tearing down a half-applied folder is not an error.
/// </summary>
public sealed class DeleteCommand(CliContext context)
{
    public Command Build()
    {
        var files = CommonOptions.Files("delete");
        files.Required = false;
        var command = new Command("delete", "Delete a service by name, or every object in manifests (-f)") { files, Service() };
        command.SetAction(async (parse, ct) =>
        {
            var paths = parse.GetValue(files);
            if (paths is not { Length: > 0 })
            {
                context.Err.WriteLine("error: say what to delete: `orc delete service NAME` or `orc delete -f PATH`");
                return Cli.UsageExitCode;
            }
            var request = new ApplyRequest { Files = ManifestReader.Read(paths, context.Environment.Stdin) };
            ResultLine.WriteAll(context.Out, await context.Api(parse).DeleteAsync(request, ct));
            return 0;
        });
        return command;
    }

    private Command Service()
    {
        var (command, name, ns) = CommonOptions.ServiceTarget("Delete one service and stop its replicas");
        command.SetAction(async (parse, ct) =>
        {
            var result = await context.Api(parse).DeleteServiceAsync(parse.GetValue(ns)!, parse.GetValue(name)!, ct);
            context.Out.WriteLine(ResultLine.Of(result, dryRun: false));
            return result.Action == ApplyActions.NotFound ? Cli.FailureExitCode : 0;
        });
        return command;
    }
}
