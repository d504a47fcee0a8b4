using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>Where `orc` takes its token from, and orc token create|list|revoke, orc node join-token|rm.</summary>
[Trait("Category", "Unit")]
public sealed class TokenCommandTests : IDisposable
{
    private readonly TempHome temp = new();
    private string home => temp.Path;

    public void Dispose() => temp.Dispose();

    private void Config(string json) => temp.Config(json);

    public static TheoryData<string, string?, string?, string?, string?> Precedence => new()
    {
        { "the flag beats everything", "orc.a.flag", "orc.b.env", """{"token":"orc.c.config"}""", "Bearer orc.a.flag" },
        { "the variable beats the config file", null, "orc.b.env", """{"token":"orc.c.config"}""", "Bearer orc.b.env" },
        { "the config file beats nothing", null, null, """{"server":"http://127.0.0.1:7070","token":"orc.c.config"}""", "Bearer orc.c.config" },
        { "a config file without token sends none", null, null, """{"server":"http://127.0.0.1:7070"}""", null },
        { "nothing set sends no token", null, null, null, null },
    };

    [Theory]
    [MemberData(nameof(Precedence))]
    public async Task The_first_token_set_wins(string name, string? flag, string? variable, string? config, string? wanted)
    {
        if (config is not null) Config(config);
        var variables = variable is null ? new Dictionary<string, string>() : new() { ["ORC_TOKEN"] = variable };
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/nodes", Array.Empty<object>());
        string[] args = flag is null ? ["get", "nodes"] : ["get", "nodes", "--token", flag];

        var run = await Orc.RunAsync(api, Orc.Environment(variables, home), args);

        Assert.True(run.ExitCode == 0, $"{name}: {run.Err}");
        Assert.Equal(wanted, api.Authorizations.Single());
    }

    [Fact]
    public async Task A_401_says_where_a_token_goes()
    {
        var api = new FakeApi().ExpectError(HttpMethod.Get, "/api/v1/services", HttpStatusCode.Unauthorized, "a valid token is required");

        var run = await Orc.RunAsync(api, Orc.Environment(home: home), "get", "services");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: a valid token is required; give a token with --token, ORC_TOKEN or \"token\" in ~/.orc/config.json (./up.sh writes it there)",
            run.ErrLines[0]);
    }

    private static readonly IssuedToken Issued = new()
    {
        Token = "orc.0a1b2c.secretsecretsecretsecret",
        Info = new TokenView { Id = "0a1b2c", Role = "viewer", CreatedAt = Orc.Now, ExpiresAt = Orc.Now.AddHours(24) },
    };

    [Fact]
    public async Task Create_sends_the_role_and_ttl_and_prints_only_the_token()
    {
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/tokens", Issued, body: new TokenRequest { Role = "viewer", Ttl = "24h" });

        var run = await Orc.RunAsync(api, "token", "create", "--role", "viewer", "--ttl", "24h");

        Assert.Equal((0, "orc.0a1b2c.secretsecretsecretsecret\n"), (run.ExitCode, run.Out));
        api.AssertAllAnswered();
    }

    [Theory]
    [InlineData(new[] { "token", "create", "--role", "root" }, "root")]
    [InlineData(new[] { "token", "create", "--role", "viewer", "--ttl", "soon" }, "--ttl takes")]
    [InlineData(new[] { "token", "create" }, "--role")]
    public async Task A_wrong_role_or_ttl_is_a_usage_error_and_sends_nothing(string[] args, string named)
    {
        var api = new FakeApi();

        var run = await Orc.RunAsync(api, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Err);
        Assert.Empty(api.Received);
    }

    [Fact]
    public async Task List_shows_id_role_node_and_times_never_a_secret()
    {
        var tokens = new List<TokenView>
        {
            new() { Id = "aa11", Role = "admin", CreatedAt = Orc.Now.AddDays(-1) },
            new() { Id = "bb22", Role = "node", Node = "h1", CreatedAt = Orc.Now.AddHours(-2) },
            new() { Id = "cc33", Role = "join", CreatedAt = Orc.Now.AddHours(-3), ExpiresAt = Orc.Now.AddHours(-1) },
        };
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/tokens", tokens);

        var run = await Orc.RunAsync(api, "token", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("ID     ROLE    NODE     CREATED                EXPIRES", run.OutLines[0]);
        Assert.Equal("aa11   admin   <none>   2026-11-27T12:00:00Z   never", run.OutLines[1]);
        Assert.StartsWith("bb22   node    h1 ", run.OutLines[2]);
        Assert.Contains("expired 2026-11-28T11:00:00Z", run.Out);
        Assert.DoesNotContain("secret", run.Out);
    }

    [Fact]
    public async Task Revoke_deletes_the_token_by_id()
    {
        var api = new FakeApi().Expect(HttpMethod.Delete, "/api/v1/tokens/aa11", null, HttpStatusCode.NoContent);

        var run = await Orc.RunAsync(api, "token", "revoke", "aa11");

        Assert.Equal((0, "token/aa11 revoked\n"), (run.ExitCode, run.Out));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Node_join_token_asks_for_a_join_token_and_prints_it()
    {
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/tokens", Issued with { Token = "orc.jjjj.joinjoinjoinjoinjoin" },
            body: new TokenRequest { Role = "join", Ttl = "1h" });

        var run = await Orc.RunAsync(api, "node", "join-token", "--ttl", "1h");

        Assert.Equal((0, "orc.jjjj.joinjoinjoinjoinjoin\n"), (run.ExitCode, run.Out));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Node_rm_deletes_the_node_and_a_missing_one_is_named()
    {
        var api = new FakeApi().AcrossRuns()
            .Expect(HttpMethod.Delete, "/api/v1/nodes/n1", null, HttpStatusCode.NoContent)
            .ExpectError(HttpMethod.Delete, "/api/v1/nodes/n9", HttpStatusCode.NotFound, "node \"n9\" not found");

        var removed = await Orc.RunAsync(api, "node", "rm", "n1");
        var missing = await Orc.RunAsync(api, "node", "rm", "n9");

        Assert.Equal((0, "node/n1 removed\n"), (removed.ExitCode, removed.Out));
        Assert.Equal((1, "error: node \"n9\" not found"), (missing.ExitCode, missing.ErrLines[0]));
        api.AssertAllAnswered();
    }
}
