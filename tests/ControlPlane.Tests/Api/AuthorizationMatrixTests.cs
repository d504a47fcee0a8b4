using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Auth;
using Orchestrator.ControlPlane.Tests.Grains;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Api;

/// <summary>
/// Every row of the authorization table called over real HTTP on a real control plane (etcd, Kestrel, the silo) by
/// six callers: no token, a bad token, a viewer, an admin, node h1 and node h2 (both joined with a join token as an
/// agent would). Node routes name h1, so h1 acts as itself and h2 as another node. An allowed call is any answer but
/// 401/403 (a 404 for an object that does not exist says the call got past authorization); a refused one is exactly
/// 401 (no valid token; a browser page redirects to the login) or 403.
/// </summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AuthorizationMatrixTests(EtcdServer etcd) : IAsyncLifetime
{
    private InProcessControlPlane _cp = null!;
    private readonly Dictionary<string, string?> _callers = new();

    public async Task InitializeAsync()
    {
        _cp = await InProcessControlPlane.StartAsync(etcd);
        _callers["no token"] = null;
        _callers["bad token"] = "orc.0123456789ab.this-is-not-the-secret-of-any-token";
        _callers["admin"] = _cp.AdminToken;
        _callers["viewer"] = (await IssueAsync(_cp.AdminToken, TokenRoles.Viewer)).Token;
        var join = (await IssueAsync(_cp.AdminToken, TokenRoles.Join)).Token;
        foreach (var node in new[] { "h1", "h2" })
        {
            using var response = await Send(join, HttpMethod.Post, $"/api/v1/nodes/{node}/join", null);
            response.EnsureSuccessStatusCode();
            _callers["node " + node] = (await response.Content.ReadFromJsonAsync<IssuedToken>(Json.Options))!.Token;
        }
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        await _cp.DisposeAsync();
    }

    [Fact]
    public async Task Every_route_answers_each_caller_as_the_table_says()
    {
        var wrong = new List<string>();
        foreach (var rule in AuthorizationTable.Rules)
        {
            var path = Concrete(rule);
            foreach (var (caller, token) in _callers)
            {
                var expected = Expected(rule, caller);
                var method = rule.Method == "*" ? "GET" : rule.Method;
                using var response = await Send(token, new HttpMethod(method), path, Body(rule));
                var got = (int)response.StatusCode;
                var ok = expected switch
                {
                    0 => got is not (401 or 403) && got < 500,
                    401 when IsBrowserPage(rule) => got == 302 && response.Headers.Location?.ToString().StartsWith(LoginPage.Path) == true,
                    _ => got == expected,
                };
                if (!ok) wrong.Add($"{method} {path} as {caller}: {got}, expected {(expected == 0 ? "allowed" : expected.ToString())}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_node_refused_is_a_warning_event_naming_it_and_the_route()
    {
        using var response = await Send(_callers["node h2"], HttpMethod.Post, "/api/v1/nodes/h1/heartbeat", JsonBody("{}"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("may act only as itself", await response.Content.ReadAsStringAsync());
        var events = await _cp.Events.ListAsync(null);
        Assert.Contains(events, e => e is { Reason: "Forbidden", Type: "Warning", Object: "Node/h2" } && e.Message.Contains("/api/v1/nodes/h1/heartbeat"));
    }

    [Fact]
    public async Task A_revoked_or_expired_token_is_401_and_a_node_removed_loses_its_credential()
    {
        var viewer = await IssueAsync(_cp.AdminToken, TokenRoles.Viewer);
        using (var before = await Send(viewer.Token, HttpMethod.Get, "/api/v1/services", null)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        using (var revoke = await Send(_cp.AdminToken, HttpMethod.Delete, $"/api/v1/tokens/{viewer.Info.Id}", null)) revoke.EnsureSuccessStatusCode();
        using (var after = await Send(viewer.Token, HttpMethod.Get, "/api/v1/services", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
            Assert.Equal("Bearer", after.Headers.WwwAuthenticate.Single().Scheme);
        }

        using (var rm = await Send(_cp.AdminToken, HttpMethod.Delete, "/api/v1/nodes/h2", null)) rm.EnsureSuccessStatusCode();
        using var heartbeat = await Send(_callers["node h2"], HttpMethod.Post, "/api/v1/nodes/h2/heartbeat", JsonBody("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, heartbeat.StatusCode);
    }

    [Fact]
    public async Task A_node_reports_only_replicas_assigned_to_it()
    {
        await _cp.AddNodeAsync("h2");
        var web = new ServiceObject
        {
            Metadata = new ObjectMeta { Name = "web" },
            Spec = new ServiceSpec { Image = "local/web:1", Replicas = 1, Resources = new ResourceSpec { Memory = "16Mi" } },
        };
        await _cp.Store.ApplyServicesAsync([web], dryRun: false);
        await _cp.Grains.GetGrain<Orchestrator.ControlPlane.Grains.IServiceGrain>("default/web").Reconcile(null);
        var replica = Assert.Single(await _cp.Store.ListReplicasAsync("default", "web"));
        Assert.Equal("h2", replica.Node);
        string Report(string node) => Json.Serialize(new NodeStatusReport
        {
            Replicas = [new ReplicaStatus { ReplicaId = replica.Id, Service = "web", Node = node, State = ReplicaState.Failed }],
        });

        using var asH1 = await Send(_callers["node h1"], HttpMethod.Post, "/api/v1/nodes/h1/status", JsonBody(Report("h1")));
        Assert.Equal(HttpStatusCode.Forbidden, asH1.StatusCode);
        Assert.Contains($"{replica.Id} is assigned to node \"h2\"", (await asH1.Content.ReadFromJsonAsync<ApiError>(Json.Options))!.Error);
        Assert.Empty(await _cp.Store.ListReplicaStatusesAsync("default", "web"));

        using var asH2 = await Send(_callers["node h2"], HttpMethod.Post, "/api/v1/nodes/h2/status", JsonBody(Report("h2")));
        Assert.Equal(HttpStatusCode.NoContent, asH2.StatusCode);
        Assert.Single(await _cp.Store.ListReplicaStatusesAsync("default", "web"));
    }

    /// <summary>0: allowed; else the status a refusal answers.</summary>
    private static int Expected(RouteRule rule, string caller)
    {
        if (rule.Access == Access.Anonymous) return 0;
        if (caller is "no token" or "bad token") return 401;
        // h1 is let in by the table, then refused by the endpoint: no replica on h1 uses the object (its own test).
        if (rule.Access == Access.NodeOnly) return 403;
        if (caller == "admin") return 0;
        return rule.Access switch
        {
            Access.Viewer => caller == "viewer" ? 0 : 403,
            Access.ViewerOrNode => caller is "viewer" or "node h1" or "node h2" ? 0 : 403,
            Access.NodeSelf => caller == "node h1" ? 0 : 403,
            _ => 403,
        };
    }

    private static bool IsBrowserPage(RouteRule rule) =>
        rule.Method == "GET" && (rule.Pattern.StartsWith("/ui") || rule.Pattern.StartsWith("/orleans-dashboard"));

    /// <summary>A path of the row: node routes name h1, except those that would end h1's credential (join, rm).</summary>
    private static string Concrete(RouteRule rule)
    {
        var node = rule.Access is Access.NodeSelf or Access.NodeOnly ? "h1" : "h9";
        return rule.Pattern
            .Replace("{ns}", "default").Replace("{name}", rule.Pattern.StartsWith("/api/v1/nodes/") ? node : "web")
            .Replace("{id}", "0000000000ff").Replace("{target}", "web").Replace("{secret}", "db").Replace("{config}", "app").Replace("{file}", "ui.css")
            .Replace("/" + AuthorizationTable.Prefix, "/version");
    }

    private HttpContent? Body(RouteRule rule) => (rule.Method, rule.Pattern) switch
    {
        // The form's own answer to a wrong token is 401 too; a right one shows the route itself let the caller in.
        ("POST", LoginPage.Path) => new FormUrlEncodedContent([new("token", _cp.AdminToken)]),
        ("POST", "/api/v1/tokens") => JsonBody("""{"role":"viewer"}"""),
        ("PUT", var p) when p.EndsWith("/scale") => JsonBody("""{"replicas":1}"""),
        ("POST", var p) when p.EndsWith("/status") => JsonBody("""{"replicas":[]}"""),
        ("POST" or "PUT", _) => JsonBody("{}"),
        _ => null,
    };

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<IssuedToken> IssueAsync(string admin, string role)
    {
        using var response = await Send(admin, HttpMethod.Post, "/api/v1/tokens", JsonBody($$"""{"role":"{{role}}"}"""));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IssuedToken>(Json.Options))!;
    }

    private HttpClient? _http;
    private HttpClient Http => _http ??= _cp.CreateHttpClient();

    /// <summary>Headers only: streams (assignments, watches) stay open, and their status is all that matters here.</summary>
    private async Task<HttpResponseMessage> Send(string? token, HttpMethod method, string path, HttpContent? body)
    {
        var request = new HttpRequestMessage(method, _cp.ApiUrl + path) { Content = body };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
    }
}
