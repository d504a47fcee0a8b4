using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class DescribeTests
{
    [Fact]
    public async Task A_service_shows_its_spec_counts_replicas_with_placement_and_events()
    {
        var view = Samples.Service("web", desired: 3, running: 1, pending: 1, pendingReason: "0/2 nodes available: 2 insufficient memory");
        var detail = new ServiceDetail
        {
            Service = view.Service with
            {
                Spec = view.Service.Spec with
                {
                    Command = ["/bin/server"], Args = ["--greeting", "hello world"],
                    Env = new() { ["MODE"] = "prod", ["LEVEL"] = "debug" },
                },
            },
            Status = view.Status,
            Replicas = [Samples.Replica("web", 1, "a1b2c", "n1"), Samples.Replica("web", 2, "d3e4f", "n2", ReplicaState.Exited, hostPort: null, exitCode: 137)],
            Events =
            [
                new ClusterEvent { Time = Orc.Now - TimeSpan.FromMinutes(4), Type = "Normal", Reason = "Scheduled", Message = "web.1.a1b2c on n1" },
                new ClusterEvent { Time = Orc.Now - TimeSpan.FromSeconds(30), Type = "Warning", Reason = "FailedScheduling", Message = "0/2 nodes available" },
            ],
        };
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/web", detail);

        var run = await Orc.RunAsync(api, "describe", "service", "web");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
        [
            "Name:         web",
            "Namespace:    default",
            "Labels:       app=web",
            "Image:        nginx:1.27",
            "Command:      /bin/server",
            "Args:         --greeting \"hello world\"",
            "Env:          LEVEL=debug",
            "              MODE=prod",
            "Resources:    cpu=250m memory=64Mi",
            "Ports:        8080/tcp",
            "Replicas:     3 desired | 1 running | 1 pending",
            "Pending:      0/2 nodes available: 2 insufficient memory",
            "Generation:   2",
            "Created:      2026-11-28 11:55:00Z (5m ago)",
            "Replicas:",
            "  REPLICA       NODE   STATE     CONTAINER      EXIT   RESTARTS   PORTS                       AGE   PLACEMENT",
            "  web.1.a1b2c   n1     Running   4f2a9c1b7d3e          1          127.0.0.1:32768->8080/tcp   3h    least allocated (cpu 6%, memory 1%)",
            "  web.2.d3e4f   n2     Exited    4f2a9c1b7d3e   137    1          <none>                      3h    least allocated (cpu 6%, memory 1%)",
            "Events:",
            "  AGE   TYPE      REASON             MESSAGE",
            "  4m    Normal    Scheduled          web.1.a1b2c on n1",
            "  30s   Warning   FailedScheduling   0/2 nodes available",
        ], run.OutLines);
    }

    [Fact]
    public async Task Empty_parts_read_none()
    {
        var view = Samples.Service("api", ns: "team-a");
        var detail = new ServiceDetail
        {
            Service = view.Service with { Metadata = view.Service.Metadata with { Labels = new() } },
            Status = view.Status,
        };
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/namespaces/team-a/services/api", detail);

        var run = await Orc.RunAsync(api, "describe", "svc", "api", "-n", "team-a");

        Assert.Contains("Labels:       <none>", run.OutLines);
        Assert.Contains("Command:      <none>", run.OutLines);
        Assert.Contains("Env:          <none>", run.OutLines);
        Assert.Contains("Replicas:     <none>", run.OutLines);
        Assert.Contains("Events:       <none>", run.OutLines);
        Assert.DoesNotContain(run.OutLines, l => l.StartsWith("Pending:"));
    }

    [Fact]
    public async Task A_stuck_service_says_why_below_its_replica_counts()
    {
        var view = Samples.Service("poison");
        const string why = "reconcile failed: /orchestrator/replicas/default/poison/0badc0 in etcd is not a readable Replica: 'n' is an invalid start of a property name.";
        var detail = new ServiceDetail { Service = view.Service, Status = view.Status with { StuckReason = why } };
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/namespaces/default/services/poison", detail);

        var run = await Orc.RunAsync(api, "describe", "service", "poison");

        var replicas = run.OutLines.ToList().FindIndex(l => l.StartsWith("Replicas:     "));
        Assert.Equal("Stuck:        " + why, run.OutLines[replicas + 1]);
    }

    [Fact]
    public async Task An_unknown_service_is_named_in_the_error()
    {
        var api = new FakeApi().ExpectError(HttpMethod.Get, "/api/v1/namespaces/default/services/web", HttpStatusCode.NotFound, "no such object");

        var run = await Orc.RunAsync(api, "describe", "service", "web");

        Assert.Equal((1, "", "error: service \"default/web\" not found\n"), (run.ExitCode, run.Out, run.Err));
    }
}

[Trait("Category", "Unit")]
public sealed class DescribeNodeAndReplicaTests
{
    private static readonly ReplicaView Web1 = Samples.Replica("web", 1, "px9r2x", "n1");
    private static readonly ReplicaView Web2 = Samples.Replica("web", 2, "px7abc", "n1");

    [Fact]
    public async Task A_node_shows_capacity_reserved_and_used_taints_conditions_replicas_and_its_events()
    {
        var node = Samples.Node("n1") with
        {
            Taints = [new Taint { Key = "dedicated", Value = "db", Effect = TaintEffect.NoSchedule }], Cordoned = true, StateSince = Orc.Now.AddHours(-1),
        };
        var web1 = Web1 with { Replica = Web1.Replica with { Container = new ContainerSpec { MilliCpu = 250, MemoryBytes = 64L << 20 } } };
        var overview = new ClusterOverview { Nodes = [new NodeOverview { Node = node, Allocated = new NodeCapacity { MilliCpu = 1000, MemoryBytes = 2L << 30 }, Replicas = [web1] }] };
        var top = new TopNodes { Nodes = [new NodeTop { Name = "n1", MilliCpu = 120, MemoryBytes = 300L << 20, Allocatable = node.Capacity }] };
        var events = new List<ClusterEvent>
        {
            new() { Time = Orc.Now.AddMinutes(-2), Reason = "NodeCordoned", Object = "Node/n1", Message = "cordoned" },
            new() { Time = Orc.Now.AddMinutes(-1), Reason = "Started", Object = "Replica/default/web/px9r2x", Message = "started" },
            new() { Time = Orc.Now.AddMinutes(-1), Reason = "NodeReady", Object = "Node/n2", Message = "another node" },
        };
        var api = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/overview", overview)
            .Expect(HttpMethod.Get, "/api/v1/top/nodes", top)
            .Expect(HttpMethod.Get, "/api/v1/events", events);

        var run = await Orc.RunAsync(api, "describe", "no/n1");

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains("Taints:       dedicated=db:NoSchedule", run.OutLines);
        Assert.Contains("Capacity:     cpu=4 memory=8Gi", run.OutLines);
        Assert.Contains("Reserved:     cpu=1 (25%) memory=2Gi (25%)  (the replicas' requests)", run.OutLines);
        Assert.Contains("In use:       cpu=120m (3%) memory=300Mi (4%)  (the engine's stats)", run.OutLines);
        Assert.Contains(run.OutLines, l => l.StartsWith("  Ready         Ready    1h") && l.EndsWith("last heartbeat 4s ago"));
        Assert.Contains(run.OutLines, l => l.StartsWith("  Schedulable   False") && l.EndsWith("cordoned: takes no new replica"));
        Assert.Contains(run.OutLines, l => l.StartsWith("  default     web.1.px9r2x   Running   no      250m   64Mi"));
        Assert.Contains(run.OutLines, l => l.Contains("NodeCordoned"));
        Assert.Contains(run.OutLines, l => l.Contains("Started"));
        Assert.DoesNotContain(run.OutLines, l => l.Contains("another node"));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task An_unknown_node_is_named()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/overview", new ClusterOverview());

        var run = await Orc.RunAsync(api, "describe", "node", "n9");

        Assert.Equal((1, "error: node \"n9\" not found\n"), (run.ExitCode, run.Err));
    }

    [Theory]
    [InlineData("web.1.px9r2x")]
    [InlineData("px9r2x")]
    [InlineData("px9")]
    [InlineData("web.1")]
    public async Task A_replica_is_found_by_name_id_or_unambiguous_prefix_and_shows_its_placement_and_events(string wanted)
    {
        var events = new List<ClusterEvent>
        {
            new() { Time = Orc.Now.AddMinutes(-3), Reason = "Scheduled", Object = "Service/default/web", Message = "web.1.px9r2x on n1" },
            new() { Time = Orc.Now.AddMinutes(-2), Reason = "Started", Object = "Replica/default/web/px9r2x", Message = "container started" },
            new() { Time = Orc.Now.AddMinutes(-2), Reason = "Started", Object = "Replica/default/web/px7abc", Message = "container started" },
        };
        var api = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/replicas?namespace=default", new[] { Web1, Web2 })
            .Expect(HttpMethod.Get, "/api/v1/events?namespace=default&service=web", events);

        var run = await Orc.RunAsync(api, "describe", "pod", wanted);

        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("Name:         web.1.px9r2x", run.OutLines[0]);
        Assert.Contains("Placement:    least allocated (cpu 6%, memory 1%)", run.OutLines);
        Assert.Contains("Ports:        127.0.0.1:32768->8080/tcp", run.OutLines);
        Assert.Equal(2, run.OutLines.Count(l => l.Contains("web.1.px9r2x on n1") || l.Contains("container started")));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task An_ambiguous_replica_prefix_lists_the_candidates()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/replicas?namespace=default", new[] { Web1, Web2 });

        var run = await Orc.RunAsync(api, "describe", "replica", "px");

        Assert.Equal((1, "error: \"px\" could be web.1.px9r2x, web.2.px7abc; say which\n"), (run.ExitCode, run.Err));
    }
}
