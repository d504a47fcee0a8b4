namespace Orchestrator.Orc.Tests;

/// <summary>What one run of `orc` printed and returned.</summary>
public sealed record Run(int ExitCode, string Out, string Err)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

/// <summary>Runs the whole command line in a sealed-off environment: fixed clock, empty home, no variables but those given.</summary>
public static class Orc
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static Task<Run> RunAsync(HttpMessageHandler api, params string[] args) => RunAsync(api, Environment(), args);

    /// <summary>
    /// Runs the command; with a <see cref="FakeApi"/> it then fails the test on any request that was not expected and
    /// any expected request that was not made (the CLI's own catch-all would have turned either into exit code 1).
    /// </summary>
    public static async Task<Run> RunAsync(HttpMessageHandler api, CliEnvironment environment, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await Cli.RunAsync(args, stdout, stderr, api, environment);
        var run = new Run(exit, stdout.ToString(), stderr.ToString());
        if (api is FakeApi fake)
        {
            try
            {
                if (fake.SpansRuns) fake.AssertNoMismatch();
                else fake.AssertAllAnswered();
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException) { throw new Xunit.Sdk.XunitException($"{e.Message}\n(orc exited {run.ExitCode}; stdout: {run.Out}; stderr: {run.Err})"); }
        }
        return run;
    }

    public static CliEnvironment Environment(IReadOnlyDictionary<string, string>? variables = null, string? home = null, string stdin = "") => new()
    {
        Variable = name => variables is not null && variables.TryGetValue(name, out var v) ? v : null,
        HomeDirectory = home ?? Path.Combine(Path.GetTempPath(), "orc-tests-no-home"),
        Stdin = new StringReader(stdin),
        Time = new FixedTime(Now),
    };
}

/// <summary>A clock stopped at one instant, so ages in tables are exact.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
