namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class ServerAddressTests : IDisposable
{
    private readonly TempHome temp = new();
    private string home => temp.Path;

    public void Dispose() => temp.Dispose();

    private void Config(string json) => temp.Config(json);

    public static TheoryData<string, string?, string?, string?, string> Precedence => new()
    {
        { "the flag beats everything", "http://flag:1", "http://env:2", """{"server":"http://config:3"}""", "http://flag:1" },
        { "the variable beats the config file", null, "http://env:2", """{"server":"http://config:3"}""", "http://env:2" },
        { "the config file beats the default", null, null, """{"server":"http://config:3"}""", "http://config:3" },
        { "a config file without server is ignored", null, null, """{"other":1}""", "https://127.0.0.1:7070" },
        { "nothing set means the default", null, null, null, "https://127.0.0.1:7070" },
    };

    [Theory]
    [MemberData(nameof(Precedence))]
    public async Task The_first_address_set_wins(string name, string? flag, string? variable, string? config, string wanted)
    {
        if (config is not null) Config(config);
        var variables = variable is null ? new Dictionary<string, string>() : new() { ["ORC_SERVER"] = variable };
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/nodes", Array.Empty<object>());
        string[] args = flag is null ? ["get", "nodes"] : ["get", "nodes", "--server", flag];

        var run = await Orc.RunAsync(api, Orc.Environment(variables, home), args);

        Assert.True(run.ExitCode == 0, $"{name}: {run.Err}");
        Assert.Equal(wanted, api.Received.Single().Uri.GetLeftPart(UriPartial.Authority));
    }

    [Fact]
    public async Task A_broken_config_file_is_named_in_the_error()
    {
        Config("{ not json");

        var run = await Orc.RunAsync(new FakeApi(), Orc.Environment(home: home), "get", "nodes");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: {Path.Combine(home, ".orc", "config.json")} is not valid JSON", run.Err);
    }

    [Fact]
    public async Task An_address_that_is_not_a_url_is_named_with_where_it_came_from()
    {
        var variables = new Dictionary<string, string> { ["ORC_SERVER"] = "localhost:7070" };

        var run = await Orc.RunAsync(new FakeApi(), Orc.Environment(variables), "get", "nodes");

        Assert.Equal((1, "error: server address \"localhost:7070\" from ORC_SERVER is not an http(s) URL like https://127.0.0.1:7070\n"),
            (run.ExitCode, run.Err));
    }
}
