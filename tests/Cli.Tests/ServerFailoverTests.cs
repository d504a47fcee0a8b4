using System.Net;
using System.Text;

namespace Orchestrator.Orc.Tests;

/// <summary>Several control planes in ORC_SERVER, --server or the config file: orc turns to the next one when it must.</summary>
[Trait("Category", "Unit")]
public sealed class ServerFailoverTests
{
    /// <summary>Answers by host: a status code, or a refused connection when null; records what it was asked.</summary>
    private sealed class ControlPlanes(Dictionary<string, HttpStatusCode?> answers) : HttpMessageHandler
    {
        public List<string> Asked { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Asked.Add($"{request.Method} {request.RequestUri}");
            return answers[request.RequestUri!.Host] is { } status
                ? Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(status == HttpStatusCode.OK ? "[]" : """{"error":"this control plane is stopping; try another one"}""", Encoding.UTF8, "application/json") })
                : throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused");
        }
    }

    private static Task<Run> Get(ControlPlanes planes, string servers) =>
        Orc.RunAsync(planes, Orc.Environment(new Dictionary<string, string> { ["ORC_SERVER"] = servers }), "get", "nodes");

    [Fact]
    public async Task A_control_plane_that_refuses_the_connection_is_passed_for_the_next()
    {
        var planes = new ControlPlanes(new() { ["a"] = null, ["b"] = HttpStatusCode.OK });

        var run = await Get(planes, "http://a:7070, http://b:7070");

        Assert.Equal((0, "", "No resources found.\n"), (run.ExitCode, run.Out, run.Err));
        Assert.Equal(["GET http://a:7070/api/v1/nodes", "GET http://b:7070/api/v1/nodes"], planes.Asked);
    }

    [Fact]
    public async Task A_stopping_control_plane_503_is_passed_for_the_next_and_a_write_is_sent_once_to_each()
    {
        var planes = new ControlPlanes(new() { ["a"] = HttpStatusCode.ServiceUnavailable, ["b"] = HttpStatusCode.OK });

        var run = await Orc.RunAsync(planes, Orc.Environment(new Dictionary<string, string> { ["ORC_SERVER"] = "http://a:7070,http://b:7070" }),
            "scale", "service", "web", "--replicas", "3");

        // b answers "[]" where a result is expected: what matters here is where the request went, and how often.
        Assert.Equal(["PUT http://a:7070/api/v1/namespaces/default/services/web/scale", "PUT http://b:7070/api/v1/namespaces/default/services/web/scale"], planes.Asked);
    }

    [Fact]
    public async Task When_none_answers_the_error_names_them_all()
    {
        var planes = new ControlPlanes(new() { ["a"] = null, ["b"] = null });

        var run = await Get(planes, "http://a:7070,http://b:7070");

        Assert.Equal((1, "error: cannot reach any control plane (http://a:7070, http://b:7070)\n"), (run.ExitCode, run.Err));
    }

    [Fact]
    public async Task An_address_list_with_a_bad_entry_is_refused_naming_it()
    {
        var planes = new ControlPlanes(new() { ["a"] = HttpStatusCode.OK });

        var run = await Get(planes, "http://a:7070,b:7070");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("\"b:7070\" from ORC_SERVER is not an http(s) URL", run.Err);
        Assert.Empty(planes.Asked);
    }
}
