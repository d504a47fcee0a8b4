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
