using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>
/// The fake control plane itself: a CLI test must fail when the CLI sends a request it should not, a wrong body, or
/// leaves out one it should make, even though the CLI's catch-all turns any exception into exit code 1.
/// </summary>
[Trait("Category", "Unit")]
public sealed class FakeApiTests
{
    private static ScaleRequest Five => new() { Replicas = 5 };

    [Fact]
    public async Task A_request_nobody_expected_fails_the_test_after_the_command()
    {
        var api = new FakeApi();

        var e = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => Orc.RunAsync(api, "get", "nodes"));

        Assert.Contains("unexpected request GET /api/v1/nodes", e.Message);
    }

    [Fact]
    public async Task A_request_to_another_path_fails_the_test_after_the_command()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/services", Array.Empty<ServiceView>());

        var e = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => Orc.RunAsync(api, "get", "nodes"));

        Assert.Contains("request GET /api/v1/nodes, wanted GET /api/v1/services", e.Message);
    }

    [Fact]
    public async Task A_wrong_body_fails_the_test_after_the_command()
    {
        var api = new FakeApi().Expect(HttpMethod.Put, "/api/v1/namespaces/default/services/web/scale", "{}", body: Five);

        var e = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => Orc.RunAsync(api, "scale", "service", "web", "--replicas", "4"));

        Assert.Contains("wanted {\"replicas\":5}", e.Message);
    }

    [Fact]
    public async Task An_expected_request_that_was_never_made_fails_the_test()
    {
        var api = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/nodes", Array.Empty<NodeInfo>())
            .Expect(HttpMethod.Get, "/api/v1/nodes", Array.Empty<NodeInfo>(), HttpStatusCode.OK);

        var e = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => Orc.RunAsync(api, "get", "nodes"));

        Assert.Contains("expected request never made: GET /api/v1/nodes", e.Message);
    }
}
