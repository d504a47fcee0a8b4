using System.CommandLine;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc version [--client]`: this CLI's build and the control plane's, as kubectl version shows both.</summary>
public sealed class VersionCommand(CliContext context)
{
    public static string Current => ServerVersion.Of(typeof(VersionCommand).Assembly);

    public Command Build()
    {
        var clientOnly = new Option<bool>("--client") { Description = "Only this CLI's version; do not ask the control plane" };
        var command = new Command("version", "Print the version of orc and of the control plane it talks to") { clientOnly };
        command.SetAction(async (parse, ct) =>
        {
            context.Out.WriteLine($"Client: orc {Current}");
            if (parse.GetValue(clientOnly)) return 0;
            var api = context.Api(parse);
            try
            {
                context.Out.WriteLine($"Server: {(await api.VersionAsync(ct)).Version} at {api.Server}");
                return 0;
            }
            catch (CliException e)
            {
                // The client's version is still worth having (it is what one checks when the server is the problem).
                context.Err.WriteLine($"error: no server version: {e.Message}");
                return Cli.FailureExitCode;
            }
        });
        return command;
    }
}
