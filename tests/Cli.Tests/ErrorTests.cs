using System.Net;

namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class ErrorTests
{
    [Fact]
    public async Task An_unreachable_control_plane_is_named_with_what_to_do()
    {
        var run = await Orc.RunAsync(new RefusingHandler(), "get", "svc", "--server", "http://10.1.2.3:7070");

        Assert.Equal((1, "", "error: cannot reach the control plane at http://10.1.2.3:7070 (is it running? see ./up.sh)\n"),
            (run.ExitCode, run.Out, run.Err));
    }

    [Fact]
    public async Task Orc_debug_adds_the_exception_behind_the_message()
    {
        var debug = Orc.Environment(new Dictionary<string, string> { ["ORC_DEBUG"] = "1" });

        var run = await Orc.RunAsync(new RefusingHandler(), debug, "get", "nodes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("HttpRequestException: Connection refused", run.Err);
    }

    [Fact]
    public async Task Without_debug_there_is_never_a_stack_trace()
    {
        var run = await Orc.RunAsync(new RefusingHandler(), "get", "nodes");

        Assert.DoesNotContain("   at ", run.Err);
        Assert.Single(run.ErrLines);
    }

    [Fact]
    public async Task An_api_error_shows_its_message()
    {
        var api = new FakeApi().ExpectError(HttpMethod.Get, "/api/v1/services", HttpStatusCode.ServiceUnavailable, "etcd is not answering");

        var run = await Orc.RunAsync(api, "get", "svc");

        Assert.Equal((1, "error: etcd is not answering\n"), (run.ExitCode, run.Err));
    }

    [Fact]
    public async Task An_answer_that_is_not_an_api_error_still_says_what_failed()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/nodes", "<html>bad gateway</html>", HttpStatusCode.BadGateway);

        var run = await Orc.RunAsync(api, "get", "nodes");

        Assert.Equal((1, "error: GET /api/v1/nodes failed with 502 BadGateway\n"), (run.ExitCode, run.Err));
    }

    [Fact]
    public async Task A_success_with_a_body_of_the_wrong_shape_is_an_error_not_a_crash()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/nodes", "{\"not\":\"a list\"}");

        var run = await Orc.RunAsync(api, "get", "nodes");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: GET /api/v1/nodes at https://127.0.0.1:7070 answered with a body orc cannot read", run.Err);
    }
}
