using System.CommandLine;
using System.CommandLine.Invocation;
using Orchestrator.Orc.Commands;
using Orchestrator.Orc.Parsing;

namespace Orchestrator.Orc;

/// <summary>
/// The whole `orc` command line: parses, runs one command, and turns every failure into a message and an exit code.
/// Exit codes: 0 success, 1 the command failed, 2 the command line itself was wrong, 130 interrupted (a follow or a
/// watch interrupted is a success: that is how it is meant to end).
/// </summary>
public static class Cli
{
    public const int FailureExitCode = 1;
    public const int UsageExitCode = 2;
    /// <summary>128 + SIGINT, what a shell reports for a command stopped with Ctrl-C.</summary>
    public const int InterruptedExitCode = 130;

    /// <param name="handler">Sends the HTTP requests; null uses the network. Tests pass a fake.</param>
    /// <param name="environment">Variables, home folder, stdin and clock; null reads the real process.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        HttpMessageHandler? handler = null, CliEnvironment? environment = null, CancellationToken ct = default)
    {
        var context = new CliContext(stdout, stderr, environment ?? CliEnvironment.FromProcess(), handler);
        // Tests pass a handler and no network: nothing to warm for them.
        if (handler is null) _ = TlsWarmUp.Start(context.Environment);
        var root = Build(context);
        var parse = root.Parse(KubectlForms.Rewrite(root, args));

        // System.CommandLine would exit 1 with the full help; a short message and 2 tell scripts "you called it wrong".
        var usage = UsageErrors.Of(parse);
        if (parse.Action is ParseErrorAction || usage.Count > 0)
        {
            foreach (var message in usage) stderr.WriteLine($"error: {message}");
            stderr.WriteLine($"Run '{UsageErrors.CommandPath(parse.CommandResult)} --help' for usage.");
            return UsageExitCode;
        }

        try
        {
            // The default handler prints stack traces; errors are caught below and shown as one line instead.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (CliException e)
        {
            return Failed(context, e);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM while a command that is not a follow or a watch (those end quietly) was still working.
            stderr.WriteLine("error: interrupted");
            return InterruptedExitCode;
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
            new CreateCommand(context).Build(),
            new DiffCommand(context).Build(),
            new GetCommand(context).Build(),
            new DescribeCommand(context).Build(),
            new ScaleCommand(context).Build(),
            new NodeCommand(context).Build(),
            new EventsCommand(context).Build(),
            new LogsCommand(context).Build(),
            new ExecCommand(context).Build(),
            new PortForwardCommand(context).Build(),
            new TopCommand(context).Build(),
            new RolloutCommand(context).Build(),
            new ChartCommand(context).Build(),
            new ComposeCommand(context).Build(),
            new DeleteCommand(context).Build(),
            new SecretCommand(context).Build(),
            new VolumeCommand(context).Build(),
            new VersionCommand(context).Build(),
            new ExplainCommand(context).Build(),
            new TokenCommand(context).Build(),
            new ConfigCommand(context).Build(),
        };
        root.Add(context.Server);
        root.Add(context.Token);
        root.Add(context.CaFile);
        root.Add(new CompletionCommand(context, root).Build());
        return root;
    }

    /// <summary>An error as one line (and its details) on stderr, and the failure exit code.</summary>
    public static int Failed(CliContext context, CliException e)
    {
        context.Err.WriteLine($"error: {e.Message}");
        foreach (var detail in e.Details) context.Err.WriteLine(detail.ToString());
        Debug(context, e);
        return FailureExitCode;
    }

    private static void Debug(CliContext context, Exception e)
    {
        if (context.Environment.Debug) context.Err.WriteLine(e.ToString());
    }
}
