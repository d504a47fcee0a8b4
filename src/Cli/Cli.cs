using System.CommandLine;
using System.CommandLine.Invocation;
using Orchestrator.Orc.Commands;

namespace Orchestrator.Orc;

/// <summary>
/// The whole `orc` command line: parses, runs one command, and turns every failure into a message and an exit code.
/// Exit codes: 0 success, 1 the command failed, 2 the command line itself was wrong.
/// </summary>
public static class Cli
{
    public const int FailureExitCode = 1;
    public const int UsageExitCode = 2;

    /// <param name="handler">Sends the HTTP requests; null uses the network. Tests pass a fake.</param>
    /// <param name="environment">Variables, home folder, stdin and clock; null reads the real process.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        HttpMessageHandler? handler = null, CliEnvironment? environment = null, CancellationToken ct = default)
    {
        var context = new CliContext(stdout, stderr, environment ?? CliEnvironment.FromProcess(), handler);
        var root = Build(context);
        var parse = root.Parse(args);

        // System.CommandLine would exit 1 with the full help; a short message and 2 tell scripts "you called it wrong".
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine($"Run '{string.Join(' ', CommandPath(parse))} --help' for usage.");
            return UsageExitCode;
        }

        try
        {
            // The default handler prints stack traces; errors are caught below and shown as one line instead.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (CliException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            foreach (var detail in e.Details) stderr.WriteLine(detail.ToString());
            Debug(context, e);
            return FailureExitCode;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            stderr.WriteLine("error: cancelled");
            return FailureExitCode;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"error: {e.Message}");
            Debug(context, e);
            return FailureExitCode;
        }
    }

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("orc: run and inspect services on the Orchestrator cluster")
        {
            new ApplyCommand(context).Build(),
            new GetCommand(context).Build(),
            new DescribeCommand(context).Build(),
            new ScaleCommand(context).Build(),
            new NodeCommand(context).Build(),
            new EventsCommand(context).Build(),
            new LogsCommand(context).Build(),
            new TopCommand(context).Build(),
            new RolloutCommand(context).Build(),
            new DeleteCommand(context).Build(),
            new VersionCommand(context).Build(),
        };
        root.Add(context.Server);
        return root;
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            names.Insert(0, result.Command.Name);
        return names.Prepend("orc");
    }

    private static void Debug(CliContext context, Exception e)
    {
        if (context.Environment.Debug) context.Err.WriteLine(e.ToString());
    }
}
