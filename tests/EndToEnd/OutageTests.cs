using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Outages, each on a one-machine cluster of its own, side by side (their waits are spent once):
/// <list type="bullet">
/// <item>a normal stop of the control plane (SIGTERM, as for an upgrade) leaves every container alone: the agent keeps
/// what runs while no control plane answers, and the one that comes back takes no node for dead and works;</item>
/// <item>the agent of a one-node cluster stops: the node goes Down, but its replicas can go nowhere else, so they stay
/// assigned, and the agent that starts again adopts the very same containers;</item>
/// <item>of two control planes, the one the agent talks to is stopped: the other goes on serving and judging nodes, the
/// agent turns to it, and no container is touched;</item>
/// <item>etcd stops for 20 s: nothing stops, no node is taken for dead (the silence was etcd's), the agent's assignment
/// stream resumes from its revision, and the cluster carries out what it is asked next;</item>
/// <item>the control plane is killed (-9) and comes back: nothing lost, nothing duplicated, nothing restarted, and it works.</item>
/// </list>
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class OutageTests(OutageClusters clusters) : IClassFixture<OutageClusters>
{
    private static readonly TimeSpan Away = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_control_plane_an_agent_etcd_or_one_of_two_control_planes_away_changes_no_container_and_the_cluster_works_on()
    {
        var scenarios = new (string What, Task Run)[]
        {
            ("SIGTERM of the control plane, 60 s away, a start", ControlPlaneStoppedAsync(clusters.ControlPlaneStop)),
            ("the agent of a one-node cluster away for 60 s", AgentAwayAsync(clusters.AgentAway)),
            ("SIGTERM of one of two control planes for 60 s", OneOfTwoControlPlanesStoppedAsync(clusters.Pair)),
            ("etcd away for 20 s", EtcdAwayAsync(clusters.EtcdAway)),
            ("kill -9 of the control plane and a restart", ControlPlaneKilledAsync(clusters.ControlPlaneKilled)),
        };
        try { await Task.WhenAll(scenarios.Select(s => s.Run)); }
        catch
        {
            // Every scenario that failed, by name, not just the first.
            var failed = scenarios.Where(s => s.Run.IsFaulted).Select(s => $"{s.What}: {s.Run.Exception!.GetBaseException().Message}");
            Assert.Fail(string.Join("\n\n", failed));
        }
    }

    private static void OrcOk(CommandResult run) => Assert.True(run.ExitCode == 0, run.ToString());

    private static async Task ControlPlaneStoppedAsync(TestCluster cluster)
    {
        var manifest = cluster.Manifest("stay.yaml", SleepService.Yaml("stay", 3));
        OrcOk(await cluster.Orc("apply", "-f", manifest));
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/stay")).Count == 3,
            TimeSpan.FromSeconds(20), "3 running containers");
        var before = await cluster.RunningContainersAsync("default/stay");

        var stoppedAt = DateTimeOffset.UtcNow;
        await cluster.TerminateControlPlaneAsync();
        // Past NotReady (5 s) and Down (10 s) several times over, checked along the way.
        for (var waited = TimeSpan.Zero; waited < Away; waited += TimeSpan.FromSeconds(15))
        {
            await Task.Delay(TimeSpan.FromSeconds(15));
            RunningWork.AssertUnchanged(before, await cluster.RunningContainersAsync("default/stay"), $"{waited + TimeSpan.FromSeconds(15)} after SIGTERM");
        }

        await cluster.StartControlPlaneAsync();
        // Several reconcile passes and node checks of the new control plane, and the agent's reconnect.
        await Task.Delay(TimeSpan.FromSeconds(12));
        RunningWork.AssertUnchanged(before, await cluster.RunningContainersAsync("default/stay"), "after the control plane came back");
        Assert.Empty(RunningWork.NodeEvents(await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events"), cluster.NodeName, stoppedAt,
            "NodeNotReady", "NodeDown"));

        // And the control plane that came back works: a scale is carried out, the first three untouched.
        OrcOk(await cluster.Orc("scale", "service", "stay", "--replicas", "4"));
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/stay")).Count == 4,
            TimeSpan.FromSeconds(20), "4 running containers after the scale");
        var after = await cluster.RunningContainersAsync("default/stay");
        RunningWork.AssertUnchanged(before, after.Where(c => before.Any(b => b.Id == c.Id)).ToList(), "after the scale");
    }

    private static async Task AgentAwayAsync(TestCluster cluster)
    {
        var manifest = cluster.Manifest("lone.yaml", SleepService.Yaml("lone", 3));
        OrcOk(await cluster.Orc("apply", "-f", manifest));
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/lone")).Count == 3,
            TimeSpan.FromSeconds(20), "3 running containers");
        // The control plane has heard of all three starts too (their events are before the stop, not after).
        await Wait.UntilAsync(async () => (await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/lone"))?.Status.Ready == 3,
            TimeSpan.FromSeconds(20), "the API to count 3 ready");
        var before = await cluster.RunningContainersAsync("default/lone");
        var replicasBefore = await ReplicaIdsAsync(cluster);

        var stoppedAt = DateTimeOffset.UtcNow;
        await cluster.StopAgentAsync();
        await Wait.UntilAsync(async () => RunningWork.NodeEvents(await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events"),
            cluster.NodeName, stoppedAt, "NodeDown").Count > 0, TimeSpan.FromSeconds(30), "the node to be declared Down");
        await Task.Delay(TimeSpan.FromSeconds(60) - (DateTimeOffset.UtcNow - stoppedAt));
        // Down, but nothing could be placed elsewhere: the assignments stay as they were.
        Assert.Equal(replicasBefore, await ReplicaIdsAsync(cluster));
        RunningWork.AssertUnchanged(before, await cluster.RunningContainersAsync("default/lone"), "while the agent was away");

        cluster.StartAgent();
        await Wait.UntilAsync(async () => (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes"))?
            .Any(n => n.Name == cluster.NodeName && n.State == NodeState.Ready) == true, TimeSpan.FromSeconds(30), "the node Ready again");
        // A few of the new agent's reconcile passes (and its status reports).
        await Task.Delay(TimeSpan.FromSeconds(8));
        RunningWork.AssertUnchanged(before, await cluster.RunningContainersAsync("default/lone"), "after the agent came back");
        Assert.Equal(replicasBefore, await ReplicaIdsAsync(cluster));
        var events = await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events?namespace=default&service=lone");
        Assert.DoesNotContain(events!, e => e.Time >= stoppedAt && e.Reason is "Removed" or "Started");
    }

    private static async Task<List<string>> ReplicaIdsAsync(TestCluster cluster) =>
        (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=lone"))!
            .Select(r => r.Replica.Id).Order().ToList();

    private static async Task OneOfTwoControlPlanesStoppedAsync(TwoControlPlaneCluster cluster)
    {
        var manifest = cluster.Manifest("pair.yaml", SleepService.Yaml("pair", 3));
        OrcOk(await cluster.Orc(cluster.First, "apply", "-f", manifest));
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/pair")).Count == 3,
            TimeSpan.FromSeconds(20), "3 running containers");
        var before = await cluster.RunningContainersAsync("default/pair");

        var stoppedAt = DateTimeOffset.UtcNow;
        // The agent was given the first one first: that is the one it talks to.
        await cluster.First.TerminateAsync();
        await Task.Delay(TimeSpan.FromSeconds(60));

        RunningWork.AssertUnchanged(before, await cluster.RunningContainersAsync("default/pair"), "60 s after SIGTERM of one control plane");
        var nodes = await cluster.Second.TryGetAsync<List<NodeInfo>>("/api/v1/nodes");
        Assert.Equal(NodeState.Ready, nodes!.Single(n => n.Name == cluster.NodeName).State);
        Assert.Empty(RunningWork.NodeEvents(await cluster.Second.TryGetAsync<List<ClusterEvent>>("/api/v1/events"), cluster.NodeName, stoppedAt,
            "NodeDown"));
        Assert.Contains(File.ReadAllLines(cluster.AgentLog), l => l.Contains("turning to " + cluster.Second.ApiUrl));

        // The survivor places, and the agent (now on it) runs what it places.
        OrcOk(await cluster.Orc(cluster.Second, "scale", "service", "pair", "--replicas", "4"));
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/pair")).Count == 4,
            TimeSpan.FromSeconds(30), "4 running containers after a scale through the surviving control plane");
    }

    private static async Task EtcdAwayAsync(TestCluster cluster)
    {
        var manifest = cluster.Manifest("ride.yaml", SleepService.Yaml("ride", 2));
        OrcOk(await cluster.Orc("apply", "-f", manifest));
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/ride")).Count == 2,
            TimeSpan.FromSeconds(20), "2 running containers");
        var before = await cluster.RunningContainersAsync("default/ride");
        var logMark = File.ReadAllLines(cluster.AgentLog).Length;
        var cpLogMark = File.ReadAllLines(cluster.ControlPlaneLog).Length;

        var stoppedAt = DateTimeOffset.UtcNow;
        await cluster.StopEtcdAsync();
        await Task.Delay(TimeSpan.FromSeconds(10));
        RunningWork.AssertUnchanged(before, await cluster.RunningContainersAsync("default/ride"), "10 s into the etcd outage");
        // Reads are answered from the control plane's cache; a write says what is wrong. The API stays alive.
        OrcOk(await cluster.Orc("get", "services"));
        var write = await cluster.Orc("scale", "service", "ride", "--replicas", "5");
        Assert.NotEqual(0, write.ExitCode);
        Assert.Contains("etcd", write.Stderr);
        await Task.Delay(TimeSpan.FromSeconds(10));

        await cluster.StartEtcdAsync();
        await Task.Delay(TimeSpan.FromSeconds(12));
        RunningWork.AssertUnchanged(before, await cluster.RunningContainersAsync("default/ride"), "after etcd came back");
        Assert.Empty(RunningWork.NodeEvents(await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events"), cluster.NodeName, stoppedAt,
            "NodeNotReady", "NodeDown"));

        OrcOk(await cluster.Orc("scale", "service", "ride", "--replicas", "3"));
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/ride")).Count == 3,
            TimeSpan.FromSeconds(20), "3 running containers after the scale");

        // No relist anywhere: the control plane's one etcd watch resumed from its revision, and the agent's stream
        // (served from the control plane's memory) either stayed open or resumed from the agent's revision.
        var agent = File.ReadAllLines(cluster.AgentLog).Skip(logMark).ToList();
        Assert.DoesNotContain(agent, l => l.Contains("relisting") || l.EndsWith("assignment stream connected from revision 0"));
        var controlPlane = File.ReadAllLines(cluster.ControlPlaneLog).Skip(cpLogMark).ToList();
        Assert.Contains(controlPlane, l => l.Contains("cluster cache: watch from revision") && l.Contains("resuming"));
        Assert.DoesNotContain(controlPlane, l => l.Contains("cluster cache: listed") || l.Contains("listing again"));
    }

    private static async Task ControlPlaneKilledAsync(TestCluster cluster)
    {
        var manifest = cluster.Manifest("keep.yaml", """
            apiVersion: orchestrator/v1
            kind: Service
            metadata: {name: keep}
            spec:
              image: local/busybox:1
              command: ["sleep", "3600"]
              replicas: 2
              resources: {memory: 16Mi}
            """);
        OrcOk(await cluster.Orc("apply", "-f", manifest));
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/keep")).Count == 2,
            TimeSpan.FromSeconds(10), "2 running containers");
        var before = (await cluster.RunningContainersAsync("default/keep")).OrderBy(c => c.Id).ToList();

        cluster.KillControlPlane();
        // With the control plane gone the agent keeps what runs.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(before.Select(c => c.Id), (await cluster.RunningContainersAsync("default/keep")).Select(c => c.Id).Order());

        await cluster.StartControlPlaneAsync();
        // Long enough for several reconcile passes and the agent's reconnect.
        await Task.Delay(TimeSpan.FromSeconds(12));

        var after = (await cluster.RunningContainersAsync("default/keep")).OrderBy(c => c.Id).ToList();
        Assert.Equal(before.Select(c => c.Id), after.Select(c => c.Id));
        Assert.Equal(before.Select(c => c.StartedAt), after.Select(c => c.StartedAt));
        Assert.Equal(2, (await cluster.Docker.ContainersAsync(cluster.RunId, "default/keep", runningOnly: false)).Count);
        var replicas = await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=keep");
        Assert.NotNull(replicas);
        Assert.Equal(before.Select(c => c.ReplicaId).Order(), replicas!.Select(r => r.Replica.Id).Order());

        // "Nothing changed" also holds for a control plane that never works again: it must carry out a scale.
        var scale = await cluster.Orc("scale", "service", "keep", "--replicas", "3");
        Assert.True(scale.ExitCode == 0, scale.ToString());
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/keep")).Count == 3,
            TimeSpan.FromSeconds(20), "a third running container after the scale to 3");
        var scaled = await cluster.RunningContainersAsync("default/keep");
        Assert.Equal(3, scaled.Count);
        Assert.Superset(before.Select(c => c.Id).ToHashSet(), scaled.Select(c => c.Id).ToHashSet());
    }
}

/// <summary>The clusters of <see cref="OutageTests"/>, one per outage, started side by side.</summary>
public sealed class OutageClusters : IAsyncLifetime
{
    public TestCluster ControlPlaneStop { get; } = new();
    public TestCluster AgentAway { get; } = new();
    public TwoControlPlaneCluster Pair { get; } = new();
    public TestCluster EtcdAway { get; } = new();
    public TestCluster ControlPlaneKilled { get; } = new();

    private IEnumerable<IAsyncLifetime> All => [ControlPlaneStop, AgentAway, Pair, EtcdAway, ControlPlaneKilled];

    public Task InitializeAsync() => Task.WhenAll(All.Select(c => c.InitializeAsync()));

    public Task DisposeAsync() => Task.WhenAll(All.Select(c => c.DisposeAsync()));
}
