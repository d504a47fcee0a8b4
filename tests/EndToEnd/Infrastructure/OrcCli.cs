namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>The real `orc` CLI, as a user runs it: a separate process told the server and its admin token through ORC_SERVER and ORC_TOKEN.</summary>
public static class OrcCli
{
    public static Task<CommandResult> RunAsync(string apiUrl, string[] args, string? stdin = null) =>
        ProcessRunner.RunAsync("dotnet", [Repo.Program("Cli", "orc.dll"), .. args],
            Credentials.OrcEnvironment(apiUrl), stdin, timeout: TimeSpan.FromSeconds(60));

    /// <summary>Runs `orc` for <paramref name="duration"/>, then sends it SIG<paramref name="signal"/> (Ctrl-C is INT).</summary>
    public static Task<CommandResult> RunUntilSignalAsync(string apiUrl, TimeSpan duration, string signal, string[] args) =>
        ProcessRunner.RunUntilSignalAsync("dotnet", [Repo.Program("Cli", "orc.dll"), .. args], duration, signal,
            Credentials.OrcEnvironment(apiUrl));

    /// <summary>Runs `orc` for <paramref name="duration"/> and kills it (for --follow and --watch); see <see cref="ProcessRunner.RunForAsync"/>.</summary>
    public static Task<CommandResult> RunForAsync(string apiUrl, TimeSpan duration, string[] args) =>
        ProcessRunner.RunForAsync("dotnet", [Repo.Program("Cli", "orc.dll"), .. args], duration,
            Credentials.OrcEnvironment(apiUrl));
}
