using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.ControlPlane;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>The agent's bootstrap: a join token exchanged once for the node's credential, kept 0600 and reused after a restart.</summary>
[Trait("Category", "Unit")]
public sealed class NodeCredentialTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "orc-agent-state-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }

    private sealed class JoinEndpoint : HttpMessageHandler
    {
        public List<(string Path, string? Authorization)> Calls { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Calls.Add((request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString()));
            var issued = Json.Serialize(new IssuedToken { Token = "orc.00aa.node-credential-of-h1", Info = new TokenView { Id = "00aa", Role = "node", Node = "h1" } });
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(issued, Encoding.UTF8, "application/json") });
        }
    }

    [Fact]
    public async Task Joins_once_keeps_the_credential_0600_and_a_restart_reuses_it()
    {
        var endpoint = new JoinEndpoint();
        using var sender = new HttpMessageInvoker(endpoint);
        var first = new NodeCredential("h1", _state, "orc.11bb.the-join-token-secret", null, NullLogger<NodeCredential>.Instance);

        Assert.Equal("orc.00aa.node-credential-of-h1", await first.GetAsync(sender, CancellationToken.None));
        Assert.Equal("orc.00aa.node-credential-of-h1", await first.GetAsync(sender, CancellationToken.None));
        Assert.Equal([("/api/v1/nodes/h1/join", "Bearer orc.11bb.the-join-token-secret")], endpoint.Calls);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.FilePath));

        var restarted = new NodeCredential("h1", _state, "orc.11bb.the-join-token-secret", null, NullLogger<NodeCredential>.Instance);
        Assert.Equal("orc.00aa.node-credential-of-h1", await restarted.GetAsync(sender, CancellationToken.None));
        Assert.Single(endpoint.Calls);
    }

    [Fact]
    public async Task Without_a_join_token_or_a_credential_calls_go_without_one()
    {
        var endpoint = new JoinEndpoint();
        using var sender = new HttpMessageInvoker(endpoint);
        var none = new NodeCredential("h1", _state, null, null, NullLogger<NodeCredential>.Instance);

        Assert.Null(await none.GetAsync(sender, CancellationToken.None));
        Assert.Empty(endpoint.Calls);
    }
}
