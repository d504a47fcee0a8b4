namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// The real `orc` CLI, as a user runs it: a separate process told the server, its admin token and the cluster CA through
/// ORC_SERVER, ORC_TOKEN and ORC_CA.
/// </summary>
public static class OrcCli
{
    private static Dictionary<string, string> Environment(ClusterTls tls, string apiUrl)
    {
        var environment = Credentials.OrcEnvironment(apiUrl);
        foreach (var (key, value) in tls.OrcEnvironment) environment[key] = value;
        return environment;
    }

    public static Task<CommandResult> RunAsync(ClusterTls tls, string apiUrl, string[] args, string? stdin = null) =>
        ProcessRunner.RunAsync("dotnet", [Repo.Program("Cli", "orc.dll"), .. args],
            Environment(tls, apiUrl), stdin, timeout: TimeSpan.FromSeconds(60));

    /// <summary>Runs `orc` for <paramref name="duration"/>, then sends it SIG<paramref name="signal"/> (Ctrl-C is INT).</summary>
    public static Task<CommandResult> RunUntilSignalAsync(ClusterTls tls, string apiUrl, TimeSpan duration, string signal, string[] args) =>
        ProcessRunner.RunUntilSignalAsync("dotnet", [Repo.Program("Cli", "orc.dll"), .. args], duration, signal,
            Environment(tls, apiUrl));

    /// <summary>Runs `orc` for <paramref name="duration"/> and kills it (for --follow and --watch); see <see cref="ProcessRunner.RunForAsync"/>.</summary>
    public static Task<CommandResult> RunForAsync(ClusterTls tls, string apiUrl, TimeSpan duration, string[] args) =>
        ProcessRunner.RunForAsync("dotnet", [Repo.Program("Cli", "orc.dll"), .. args], duration,
            Environment(tls, apiUrl));

    /// <summary>Runs `orc` with its stdin, stdout and stderr on a pseudo-terminal (util-linux script), as a person at a terminal does.</summary>
    public static Task<CommandResult> RunInTerminalAsync(ClusterTls tls, string apiUrl, string[] args) =>
        ProcessRunner.RunAsync("script", ["-qec", string.Join(' ', new[] { "dotnet", Repo.Program("Cli", "orc.dll") }.Concat(args).Select(Quoted)), "/dev/null"],
            Environment(tls, apiUrl), stdin: "", timeout: TimeSpan.FromSeconds(60));

    /// <summary>Runs `orc` until <paramref name="until"/> is done with it, then sends it SIGINT (Ctrl-C).</summary>
    public static Task<CommandResult> RunUntilDoneAsync(ClusterTls tls, string apiUrl, Func<Task> until, string[] args, TimeSpan? endsOnItsOwnWithin = null) =>
        ProcessRunner.RunUntilSignalAsync("dotnet", [Repo.Program("Cli", "orc.dll"), .. args], until, "INT", Environment(tls, apiUrl), endsOnItsOwnWithin);

    private static string Quoted(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
