using System.Diagnostics;
using Orchestrator.NodeAgent.Loop;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>The agent process itself: bad settings end it at once with a message a person can act on.</summary>
[Trait("Category", "Unit")]
public sealed class StartupTests
{
    private static async Task<(int Code, string Stderr)> RunAgentAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(Agent).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stderr);
    }

    [Fact]
    public async Task Invalid_flags_exit_2_naming_each_setting_without_a_stack_trace()
    {
        var (code, stderr) = await RunAgentAsync("--api", "nope", "--memory", "lots", "--listen", "http://127.0.0.1:0");

        Assert.Equal(2, code);
        Assert.Contains("Agent:Api (--api): \"nope\"", stderr);
        Assert.Contains("Agent:Memory (--memory): \"lots\"", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Unreadable_duration_exits_2_with_the_value()
    {
        var (code, stderr) = await RunAgentAsync("--resync-interval", "ten seconds");

        Assert.Equal(2, code);
        Assert.Contains("Agent:ResyncInterval", stderr);
        Assert.Contains("ten seconds", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
