namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class UsageTests
{
    [Theory]
    [InlineData("no command", new string[0])]
    [InlineData("unknown command", new[] { "frobnicate" })]
    [InlineData("get without a resource", new[] { "get" })]
    [InlineData("unknown resource", new[] { "get", "pdos" })]
    [InlineData("unknown output format", new[] { "get", "svc", "-o", "xml" })]
    [InlineData("apply without -f", new[] { "apply" })]
    [InlineData("scale without --replicas", new[] { "scale", "service", "web" })]
    [InlineData("scale to a word", new[] { "scale", "service", "web", "--replicas", "three" })]
    [InlineData("describe without a name", new[] { "describe", "service" })]
    [InlineData("delete without a target", new[] { "delete" })]
    public async Task Bad_usage_exits_2_with_a_message_and_sends_nothing(string name, string[] args)
    {
        var api = new FakeApi();

        var run = await Orc.RunAsync(api, args);

        Assert.True(run.ExitCode == 2, $"{name}: exit {run.ExitCode}, stderr {run.Err}");
        Assert.StartsWith("error: ", run.Err);
        Assert.Empty(api.Received);
    }

    [Fact]
    public async Task Help_succeeds_and_lists_the_commands()
    {
        var run = await Orc.RunAsync(new FakeApi(), "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "apply", "get", "describe", "scale", "delete", "version" }) Assert.Contains(command, run.Out);
    }

    [Fact]
    public async Task Version_prints_the_assembly_version()
    {
        var run = await Orc.RunAsync(new FakeApi(), "version", "--client");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^Client: orc \d+\.\d+\.\d+", run.Out);
    }
}
