using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>./test.sh itself: whoever reads only its last line must never take an aborted run for a green one.</summary>
[Trait("Category", "EndToEnd")]
public sealed class TestScriptTests
{
    private static Task<CommandResult> TestSh(params string[] args) =>
        ProcessRunner.RunAsync(Path.Combine(Repo.Root, "test.sh"), args, timeout: TimeSpan.FromMinutes(2));

    [Fact]
    public async Task A_set_up_step_that_fails_still_ends_with_the_summary_line_counting_one_failure()
    {
        // An unknown project is refused while the run is set up, before anything is installed, built or run.
        var run = await TestSh("tests/NoSuchProject");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal("0 passed, 1 failed", run.Stdout.TrimEnd('\n').Split('\n')[^1]);
        Assert.Contains("error: not a test project folder or .csproj: tests/NoSuchProject", run.Stderr);
    }
}
