using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Api;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Tests.Api;

/// <summary>What GET /api/v1/overview computes from what it read: load and replicas per node, service counts.</summary>
[Trait("Category", "Unit")]
public sealed class OverviewTests
{
    private const long Mi = 1024 * 1024;
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static NodeInfo Node(string name, double heartbeatSecondsAgo) => new()
    {
        Name = name,
        Capacity = new NodeCapacity { MilliCpu = 2000, MemoryBytes = 1024 * Mi },
        LastHeartbeat = Now.AddSeconds(-heartbeatSecondsAgo),
    };

    private static ServiceObject Service(string name, int replicas) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new ServiceSpec { Image = "local/web:1", Replicas = replicas },
    };

    private static Replica Replica(string id, string service, int slot, string node, long milliCpu, long memory) => new()
    {
        Id = id, Service = service, Slot = slot, Node = node,
        Container = new ContainerSpec { MilliCpu = milliCpu, MemoryBytes = memory },
    };

    private static ReplicaStatus Running(string id, bool ready) => new()
    {
        ReplicaId = id, State = ReplicaState.Running, ContainerId = "c-" + id, Ready = ready,
    };

    [Fact]
    public void A_warning_of_the_last_hour_stays_when_newer_normal_events_would_push_it_out()
    {
        var warning = new ClusterEvent { Time = Now.AddMinutes(-20), Type = "Warning", Reason = "FailedScheduling" };
        var old = new ClusterEvent { Time = Now.AddHours(-2), Type = "Warning", Reason = "Unhealthy" };
        var ready = Enumerable.Range(1, 80).Select(i => new ClusterEvent { Time = Now.AddMinutes(-10).AddSeconds(i), Reason = "Ready", Message = $"{i}" });

        var recent = OverviewEndpoints.Recent([old, warning, .. ready], Now);

        Assert.Equal(OverviewEndpoints.EventLimit + 1, recent.Count);
        Assert.Equal("FailedScheduling", recent[0].Reason);
        Assert.DoesNotContain(recent, e => e.Reason == "Unhealthy");
        Assert.Equal("80", recent[^1].Message);
        Assert.Equal(recent.OrderBy(e => e.Time), recent);
    }

    [Fact]
    public void Each_node_carries_its_replicas_and_their_requests_and_each_service_its_counts()
    {
        var replicas = new[]
        {
            Replica("w2", "web", 2, "b", 100, 32 * Mi),
            Replica("w1", "web", 1, "a", 100, 32 * Mi),
            Replica("k1", "worker", 1, "a", 250, 16 * Mi),
            Replica("lost", "worker", 2, "gone", 500, 64 * Mi),
        };
        var statuses = new[] { Running("w1", ready: true), Running("w2", ready: false), Running("k1", ready: true) }
            .ToDictionary(s => s.ReplicaId);
        var events = new[] { new ClusterEvent { Reason = "Scheduled", Object = "Service/default/web" } };

        var overview = OverviewEndpoints.Build(Now, [Node("b", 1.26), Node("a", -3)], [Service("web", 2), Service("worker", 3)],
            replicas, statuses, new Dictionary<string, ServiceConditions>(), events);

        Assert.Equal(Now, overview.Time);
        Assert.Equal(["a", "b"], overview.Nodes.Select(n => n.Node.Name));
        var a = overview.Nodes[0];
        Assert.Equal((350L, 48 * Mi), (a.Allocated.MilliCpu, a.Allocated.MemoryBytes));
        Assert.Equal(["w1", "k1"], a.Replicas.Select(r => r.Replica.Id));
        Assert.Equal(0, a.HeartbeatAgeSeconds);
        var b = overview.Nodes[1];
        Assert.Equal((100L, 32 * Mi), (b.Allocated.MilliCpu, b.Allocated.MemoryBytes));
        Assert.Equal("w2", Assert.Single(b.Replicas).Replica.Id);
        Assert.False(b.Replicas[0].Status!.Ready);
        Assert.Equal(1.3, b.HeartbeatAgeSeconds);

        var web = overview.Services.Single(s => s.Service.Metadata.Name == "web").Status;
        Assert.Equal((2, 2, 2, 1, 0), (web.Desired, web.Assigned, web.Running, web.Ready, web.Pending));
        var worker = overview.Services.Single(s => s.Service.Metadata.Name == "worker").Status;
        Assert.Equal((3, 2, 1, 1, 1), (worker.Desired, worker.Assigned, worker.Running, worker.Ready, worker.Pending));
        Assert.Equal(events, overview.Events);
    }

    [Fact]
    public void An_empty_cluster_is_an_empty_overview()
    {
        var overview = OverviewEndpoints.Build(Now, [], [], [], new Dictionary<string, ReplicaStatus>(),
            new Dictionary<string, ServiceConditions>(), []);
        Assert.Empty(overview.Nodes);
        Assert.Empty(overview.Services);
        Assert.Empty(overview.Events);
    }

    [Fact]
    public void Each_service_carries_its_rollout()
    {
        var rollout = new RolloutStatus { Revision = 3, Phase = RolloutPhase.RollingBack, FailedRevision = 3, FailureReason = "replica web.1.x failed" };
        var overview = OverviewEndpoints.Build(Now, [], [Service("web", 2), Service("worker", 1)], [], new Dictionary<string, ReplicaStatus>(),
            new Dictionary<string, ServiceConditions>(), [], new Dictionary<string, RolloutStatus> { ["default/web"] = rollout });

        Assert.Equal(rollout, overview.Services.Single(s => s.Service.Metadata.Name == "web").Rollout);
        Assert.Null(overview.Services.Single(s => s.Service.Metadata.Name == "worker").Rollout);
    }

    [Fact]
    public void Each_service_says_what_keeps_it_from_running_the_pending_reason_first()
    {
        var statuses = new Dictionary<string, ReplicaStatus>
        {
            ["a"] = Running("a", ready: true),
            ["b"] = new() { ReplicaId = "b", State = ReplicaState.Failed, Reason = ReplicaReasons.ImageNotFound, Message = "local/nope:1 is not on node n1" },
            ["c"] = new() { ReplicaId = "c", State = ReplicaState.CrashLoopBackOff, Message = "exited with code 1; back-off before restart 2" },
        };
        var replicas = new[]
        {
            Replica("a", "ok", 1, "n1", 0, 0), Replica("b", "nope", 1, "n1", 0, 0), Replica("c", "crash", 1, "n1", 0, 0),
            Replica("d", "held", 1, "n1", 0, 0),
        };
        var conditions = new Dictionary<string, ServiceConditions>
        {
            ["default/held"] = new() { PendingCount = 1, PendingReason = "0/1 nodes available: 1 host port in use by another program: 2379/tcp on n1" },
        };

        var reasons = ServiceViews.Views([Service("ok", 1), Service("nope", 1), Service("crash", 1), Service("held", 2)], replicas, statuses, conditions)
            .ToDictionary(v => v.Service.Metadata.Name, v => v.Status.Reason);

        Assert.Null(reasons["ok"]);
        Assert.Equal("ImageNotFound: local/nope:1 is not on node n1", reasons["nope"]);
        Assert.Equal("CrashLoopBackOff: exited with code 1; back-off before restart 2", reasons["crash"]);
        Assert.Equal("0/1 nodes available: 1 host port in use by another program: 2379/tcp on n1", reasons["held"]);
    }
}
