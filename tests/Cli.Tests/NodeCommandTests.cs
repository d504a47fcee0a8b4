using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class NodeCommandTests
{
    private static readonly NodeInfo N1 = new() { Name = "n1", Cordoned = true };
    private static readonly NodeInfo N2 = new() { Name = "n2" };

    [Theory]
    [InlineData("cordon", "node/n1 cordoned\n")]
    [InlineData("uncordon", "node/n1 uncordoned\n")]
    [InlineData("drain", "node/n1 cordoned, draining\n")]
    public async Task Each_verb_puts_its_path_and_confirms(string verb, string output)
    {
        var api = new FakeApi();
        if (verb == "drain") api.Expect(HttpMethod.Get, "/api/v1/nodes", new[] { N1, N2 });
        api.Expect(HttpMethod.Put, $"/api/v1/nodes/n1/{verb}", N1);

        var run = await Orc.RunAsync(api, verb == "drain" ? ["node", verb, "n1", "--no-wait"] : ["node", verb, "n1"]);

        Assert.Equal((0, output), (run.ExitCode, run.Out));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Drain_waits_until_the_node_runs_no_replica()
    {
        var left = new List<ReplicaView> { new() { Replica = new Replica { Id = "a", Service = "web", Slot = 1, Node = "n1" } } };
        var api = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/nodes", new[] { N1, N2 })
            .Expect(HttpMethod.Put, "/api/v1/nodes/n1/drain", N1)
            .Expect(HttpMethod.Get, "/api/v1/replicas?node=n1", left)
            .Expect(HttpMethod.Get, "/api/v1/replicas?node=n1", new List<ReplicaView>());

        var run = await Orc.RunAsync(api, "node", "drain", "n1");

        Assert.Equal((0, "node/n1 cordoned, draining\n  1 replica(s) still on n1\nnode/n1 drained\n"), (run.ExitCode, run.Out));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Drain_fails_fast_naming_why_when_no_other_node_takes_replicas()
    {
        var left = new List<ReplicaView> { new() { Replica = new Replica { Id = "a", Service = "web", Slot = 1, Node = "n1" } } };
        var api = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/nodes", new[] { N1 with { Cordoned = false }, N2 with { State = NodeState.NotReady }, new NodeInfo { Name = "n3", Cordoned = true } })
            .Expect(HttpMethod.Get, "/api/v1/replicas?node=n1", left);

        var run = await Orc.RunAsync(api, "node", "drain", "n1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: node/n1 was not drained: it runs 1 replica(s) and no other node takes new ones (n2 is NotReady, n3 is cordoned)", run.ErrLines[0]);
        Assert.Contains("--force", run.ErrLines[1]);
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Drain_of_the_only_node_says_so_and_force_drains_anyway()
    {
        var left = new List<ReplicaView> { new() { Replica = new Replica { Id = "a", Service = "web", Slot = 1, Node = "n1" } } };
        var api = new FakeApi().AcrossRuns()
            .Expect(HttpMethod.Get, "/api/v1/nodes", new[] { N1 })
            .Expect(HttpMethod.Get, "/api/v1/replicas?node=n1", left)
            .Expect(HttpMethod.Put, "/api/v1/nodes/n1/drain", N1);

        var refused = await Orc.RunAsync(api, "node", "drain", "n1");
        var forced = await Orc.RunAsync(api, "node", "drain", "n1", "--force", "--no-wait");

        Assert.Equal("error: node/n1 was not drained: it is the only node, and it runs 1 replica(s)", refused.ErrLines[0]);
        Assert.Equal((0, "node/n1 cordoned, draining\n"), (forced.ExitCode, forced.Out));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Drain_interrupted_says_how_long_it_waited_not_the_limit()
    {
        var left = new List<ReplicaView> { new() { Replica = new Replica { Id = "a", Service = "web", Slot = 1, Node = "n1" } } };
        var api = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/nodes", new[] { N1, N2 })
            .Expect(HttpMethod.Put, "/api/v1/nodes/n1/drain", N1)
            .Expect(HttpMethod.Get, "/api/v1/replicas?node=n1", left);
        using var interrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var exit = await Cli.RunAsync(["node", "drain", "n1", "--timeout", "5m"], stdout, stderr, api, Orc.Environment(), interrupt.Token);

        Assert.Equal((130, "stopped waiting after 0s; node/n1 goes on draining (`orc node uncordon n1` ends it)\n"), (exit, stderr.ToString()));
    }

    [Fact]
    public async Task An_unknown_node_is_named()
    {
        var api = new FakeApi().ExpectError(HttpMethod.Put, "/api/v1/nodes/ghost/cordon", HttpStatusCode.NotFound, "x");

        var run = await Orc.RunAsync(api, "node", "cordon", "ghost");

        Assert.Equal((1, "error: node \"ghost\" not found\n"), (run.ExitCode, run.Err));
    }
}

[Trait("Category", "Unit")]
public sealed class EventsCommandTests
{
    [Fact]
    public async Task Events_are_listed_oldest_first_with_their_object()
    {
        var events = new List<ClusterEvent>
        {
            new() { Time = Orc.Now.AddSeconds(-30), Reason = "NodeDown", Type = "Warning", Object = "Node/h3", Message = "node h3 silent for 10.0s" },
            new() { Time = Orc.Now.AddSeconds(-29), Reason = "Scheduled", Object = "Service/default/web", Message = "placed 2 replica(s)" },
        };
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/events", events);

        var run = await Orc.RunAsync(api, "events");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("AGE", lines[0]);
        Assert.Contains("NodeDown", lines[1]);
        Assert.Contains("Node/h3", lines[1]);
        Assert.Contains("Scheduled", lines[2]);
    }

    [Fact]
    public async Task A_service_filter_asks_for_its_namespace_too()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/events?namespace=default&service=web", new List<ClusterEvent>());

        var run = await Orc.RunAsync(api, "events", "--service", "web");

        Assert.Equal((0, "No events found.\n"), (run.ExitCode, run.Err));
    }
}

[Trait("Category", "Unit")]
public sealed class ApproximateMemoryTests
{
    [Theory]
    [InlineData(64L << 20, "64Mi")]
    [InlineData(4L << 30, "4Gi")]
    [InlineData(25149566976L, "23.4Gi")]
    [InlineData(4000000000L, "3.7Gi")]
    [InlineData(1000L, "1000")]
    public void Memory_reads_at_a_glance(long bytes, string expected) =>
        Assert.Equal(expected, Orchestrator.Orc.Output.Cells.ApproximateMemory(bytes));
}

[Trait("Category", "Unit")]
public sealed class RolloutHistoryTests
{
    [Fact]
    public async Task History_lists_each_revision_with_its_image_and_cause()
    {
        var revisions = new List<ServiceRevision>
        {
            new() { Revision = 1, Spec = new ServiceSpec { Image = "local/web:1" }, ChangeCause = "created", CreatedAt = Orc.Now.AddMinutes(-10) },
            new() { Revision = 2, Spec = new ServiceSpec { Image = "local/web:2" }, ChangeCause = "image local/web:1 -> local/web:2", CreatedAt = Orc.Now.AddMinutes(-1) },
        };
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/web/revisions", revisions)
            .Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/web", new ServiceDetail { Service = new ServiceObject { Metadata = new ObjectMeta { Name = "web", Revision = 2 } } });

        var run = await Orc.RunAsync(api, "rollout", "history", "web");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
        [
            "service/web",
            "REVISION      IMAGE         CHANGE-CAUSE                       AGE",
            "1             local/web:1   created                            10m",
            "2 (current)   local/web:2   image local/web:1 -> local/web:2   1m",
        ], run.OutLines);
    }

    [Fact]
    public async Task History_of_an_unknown_service_names_it()
    {
        var api = new FakeApi().ExpectError(HttpMethod.Get, "/api/v1/namespaces/default/services/nope/revisions", System.Net.HttpStatusCode.NotFound, "x");

        var run = await Orc.RunAsync(api, "rollout", "history", "nope");

        Assert.Equal((1, "error: service \"default/nope\" not found\n"), (run.ExitCode, run.Err));
    }
}
