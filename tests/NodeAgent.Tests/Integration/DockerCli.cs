using System.Diagnostics;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>The docker CLI, used by tests to look at and disturb the engine independently of the code under test.</summary>
public static class DockerCli
{
    public static async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"docker {string.Join(' ', args)}: {await stderr}");
        return (await stdout).Trim();
    }

    public static async Task<string[]> ContainerIdsAsync(string cluster) =>
        (await RunAsync("ps", "-aq", "--no-trunc", "--filter", $"label=orchestrator.cluster={cluster}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static Task<string> InspectAsync(string id, string format) => RunAsync("inspect", "-f", format, id);

    /// <summary>Like <see cref="InspectAsync"/>, but null for a container that is gone by the time it is asked about.</summary>
    public static async Task<string?> InspectIfExistsAsync(string id, string format)
    {
        try { return await InspectAsync(id, format); }
        catch (InvalidOperationException e) when (e.Message.Contains("No such object")) { return null; }
    }
}
