using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.NodeAgent.ControlPlane;
using Orchestrator.NodeAgent.Options;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class ControlPlaneFailoverTests
{
    /// <summary>Answers per control-plane authority: a status code, or a connection failure when null.</summary>
    private sealed class ControlPlanes(Dictionary<string, HttpStatusCode?> answers) : HttpMessageHandler
    {
        public List<string> Asked { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Asked.Add(request.RequestUri!.ToString());
            return answers[request.RequestUri!.Authority] is { } status
                ? Task.FromResult(new HttpResponseMessage(status))
                : throw new HttpRequestException("Connection refused");
        }
    }

    private static (HttpClient Client, ControlPlaneAddresses Addresses) Client(ControlPlanes planes, params string[] urls)
    {
        var addresses = new ControlPlaneAddresses(urls.Select(u => new Uri(u)).ToList(), NullLogger<ControlPlaneAddresses>.Instance);
        var client = new HttpClient(new ControlPlaneFailover(addresses) { InnerHandler = planes }) { BaseAddress = new Uri(urls[0]) };
        return (client, addresses);
    }

    [Fact]
    public async Task A_control_plane_that_refuses_the_connection_is_left_for_the_next_one()
    {
        var planes = new ControlPlanes(new() { ["a:7070"] = null, ["b:7070"] = HttpStatusCode.OK });
        var (client, addresses) = Client(planes, "http://a:7070/", "http://b:7070/");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("api/v1/nodes/n1/heartbeat", null));
        var next = await client.PostAsync("api/v1/nodes/n1/heartbeat?x=1", null);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(["http://a:7070/api/v1/nodes/n1/heartbeat", "http://b:7070/api/v1/nodes/n1/heartbeat?x=1"], planes.Asked);
        Assert.Equal(new Uri("http://b:7070/"), addresses.Current);
    }

    [Fact]
    public async Task A_stopping_control_plane_503_moves_on_and_the_list_wraps_around()
    {
        var planes = new ControlPlanes(new() { ["a:7070"] = HttpStatusCode.OK, ["b:7070"] = HttpStatusCode.ServiceUnavailable });
        var (client, addresses) = Client(planes, "http://b:7070/", "http://a:7070/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("api/v1/x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/x")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/x")).StatusCode);
        Assert.Equal(new Uri("http://a:7070/"), addresses.Current);
    }

    [Fact]
    public async Task With_one_control_plane_a_failure_changes_nothing()
    {
        var planes = new ControlPlanes(new() { ["a:7070"] = null });
        var (client, addresses) = Client(planes, "http://a:7070/");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("api/v1/x"));
        Assert.Equal(new Uri("http://a:7070/"), addresses.Current);
    }

    [Fact]
    public void Several_urls_are_read_in_order_with_spaces_around_commas()
    {
        var o = new NodeAgentOptions { NodeName = "n1", Api = "https://a:7070, https://b:7070/ ,https://c:7070", CaFile = typeof(ControlPlaneFailoverTests).Assembly.Location };
        Assert.Empty(NodeAgentOptionsValidator.Validate(o));
        Assert.Equal(["https://a:7070", "https://b:7070/", "https://c:7070"], o.ApiUrls());
    }
}
