using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class LogsAndTopTests
{
    private const string Logs = "/api/v1/namespaces/default/services/web/logs";

    [Fact]
    public async Task Logs_print_the_lines_as_the_server_sends_them()
    {
        var api = new FakeApi().ExpectText(Logs, "web.1.aaaaa | hello\nweb.2.bbbbb | hi\n");

        var run = await Orc.RunAsync(api, "logs", "web");

        Assert.Equal((0, "web.1.aaaaa | hello\nweb.2.bbbbb | hi\n", ""), (run.ExitCode, run.Out, run.Err));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Replica_tail_follow_and_namespace_go_into_the_query()
    {
        var api = new FakeApi().ExpectText("/api/v1/namespaces/team-a/services/api/logs?replica=ab1&tail=5&follow=true", "line\n");

        var run = await Orc.RunAsync(api, "logs", "api", "-n", "team-a", "--replica", "ab1", "--tail", "5", "-f");

        Assert.Equal((0, "line\n"), (run.ExitCode, run.Out));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Replicas_without_logs_are_named_on_stderr_and_make_it_fail_after_the_others_lines()
    {
        var api = new FakeApi().ExpectText(Logs, "web.1.aaaaa | hello\n",
            (LogHeaders.Unavailable, "web.2.bbbbb: cannot reach the agent of node n2 at http://10.0.0.2:7071: Connection refused"));

        var run = await Orc.RunAsync(api, "logs", "web");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("web.1.aaaaa | hello\n", run.Out);
        Assert.Equal("error: no logs from web.2.bbbbb: cannot reach the agent of node n2 at http://10.0.0.2:7071: Connection refused\n", run.Err);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "service \"default/web\" not found")]
    [InlineData(HttpStatusCode.NotFound, "replica \"zz\" of service \"default/web\" not found; its replicas are web.1.aaaaa")]
    [InlineData(HttpStatusCode.BadGateway, "no logs for service \"default/web\": web.1.aaaaa: cannot reach the agent of node n1 at http://10.0.0.1:7071")]
    public async Task Logs_errors_are_the_servers_sentence(HttpStatusCode status, string error)
    {
        var api = new FakeApi().ExpectError(HttpMethod.Get, Logs, status, error);

        var run = await Orc.RunAsync(api, "logs", "web");

        Assert.Equal((1, "", $"error: {error}\n"), (run.ExitCode, run.Out, run.Err));
    }

    [Fact]
    public async Task A_negative_tail_is_a_usage_error()
    {
        var run = await Orc.RunAsync(new FakeApi(), "logs", "web", "--tail", "-2");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --tail must be 0 or more, got -2", run.Err);
    }

    [Fact]
    public async Task Top_nodes_prints_use_against_capacity_and_unknown_for_an_unreachable_node()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/top/nodes", new TopNodes
        {
            Nodes =
            [
                new NodeTop { Name = "n1", Allocatable = new NodeCapacity { MilliCpu = 4000, MemoryBytes = 8L << 30 }, MilliCpu = 250, MemoryBytes = 512L << 20, Replicas = 3 },
                new NodeTop { Name = "n2", Allocatable = new NodeCapacity { MilliCpu = 2000, MemoryBytes = 4L << 30 } },
            ],
            Unreachable = [new UnreachableNode { Node = "n2", AgentUrl = "http://10.0.0.2:7071", Error = "cannot reach the agent of node n2 at http://10.0.0.2:7071: Connection refused" }],
        });

        var run = await Orc.RunAsync(api, "top", "nodes");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
        [
            "NAME   CPU(cores)   CPU%        MEMORY(bytes)   MEMORY%     REPLICAS",
            "n1     250m         6%          512Mi           6%          3",
            "n2     <unknown>    <unknown>   <unknown>       <unknown>   <unknown>",
        ], run.OutLines);
        Assert.Equal("warning: no stats from node n2: cannot reach the agent of node n2 at http://10.0.0.2:7071: Connection refused\n", run.Err);
    }

    [Fact]
    public async Task Top_services_sums_per_service_and_says_whose_replicas_are_not_counted()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/top/services?namespace=default", new TopServices
        {
            Services =
            [
                new ServiceTop { Namespace = "default", Name = "api", Replicas = 0 },
                new ServiceTop { Namespace = "default", Name = "web", Replicas = 2, MilliCpu = 1500, MemoryBytes = 100L << 20 },
            ],
            Unreachable = [new UnreachableNode { Node = "n3", Error = "node n3 is Down" }],
        });

        var run = await Orc.RunAsync(api, "top", "svc", "-n", "default");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
        [
            "NAMESPACE   NAME   REPLICAS   CPU(cores)   MEMORY(bytes)",
            "default     api    0          0m           0Mi",
            "default     web    2          1500m        100Mi",
        ], run.OutLines);
        Assert.Equal("warning: no stats from node n3: node n3 is Down; the replicas it runs are not counted\n", run.Err);
    }

    [Fact]
    public async Task Top_with_nothing_to_show_says_so()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/top/services", new TopServices());

        var run = await Orc.RunAsync(api, "top", "services");

        Assert.Equal((0, "", "No resources found.\n"), (run.ExitCode, run.Out, run.Err));
    }
}
