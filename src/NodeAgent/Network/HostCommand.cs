using System.Diagnostics;

namespace Orchestrator.NodeAgent.Network;

/// <summary>Runs ip and iptables in the agent's network namespace; a non-zero exit is an error naming the command and its stderr.</summary>
public static class HostCommand
{
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct, string? stdin = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new HostCommandException($"{file} {string.Join(' ', args)} failed (exit {process.ExitCode}): {(await error).Trim()}", process.ExitCode);
        return await output;
    }
}

public sealed class HostCommandException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
