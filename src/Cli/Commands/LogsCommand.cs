using System.CommandLine;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc logs SERVICE [--replica ID] [--follow] [--tail N] [-n NS]`: the container logs of a service's replicas, fetched
/// by the control plane from the agents that run them (`docker service logs` for the cluster).
/// </summary>
public sealed class LogsCommand(CliContext context)
{
    public Command Build()
    {
        var name = new Argument<string>("SERVICE") { Description = "Name of the service" };
        var ns = CommonOptions.Namespace();
        var replica = new Option<string?>("--replica", "-r")
        {
            Description = "Only this replica: its id, its name (web.2.ab12cd) or an unambiguous prefix of either",
        };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until interrupted" };
        var tail = new Option<int?>("--tail") { Description = "Only the last N lines of each replica (default: all)" };
        tail.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0) result.AddError($"--tail must be 0 or more, got {result.GetValueOrDefault<int?>()}");
        });
        var command = new Command("logs", "Print the logs of a service's containers (with several replicas, each line says whose it is)")
        {
            name, ns, replica, follow, tail,
        };
        command.SetAction(async (parse, ct) =>
        {
            var query = new LogQuery(parse.GetValue(tail), parse.GetValue(follow));
            var missing = 0;
            async Task<int> Stream()
            {
                missing = await context.Api(parse).StreamLogsAsync(parse.GetValue(ns)!, parse.GetValue(name)!, parse.GetValue(replica), query,
                    context.Out, message => context.Err.WriteLine($"error: no logs from {message}"), ct);
                return 0;
            }
            if (query.Follow) await Following.UntilInterruptedAsync(Stream, ct);
            else await Stream();
            // The lines of the others were worth printing, but a script must still see that some are missing.
            return missing == 0 ? 0 : Cli.FailureExitCode;
        });
        return command;
    }
}
