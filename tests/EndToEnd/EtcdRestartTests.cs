using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// etcd stops for 20 s under a running cluster: nothing stops, no node is taken for dead (the silence was etcd's),
/// the agent's assignment stream resumes from its revision, and the cluster carries out what it is asked next.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class EtcdRestartTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    [Fact]
    public async Task Etcd_away_for_20_seconds_stops_nothing_and_the_cluster_works_on()
    {
        var manifest = cluster.Manifest("ride.yaml", SleepService.Yaml("ride", 2));
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);
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
        Assert.Equal(0, (await cluster.Orc("get", "services")).ExitCode);
        var write = await cluster.Orc("scale", "service", "ride", "--replicas", "5");
        Assert.NotEqual(0, write.ExitCode);
        Assert.Contains("etcd", write.Stderr);
        await Task.Delay(TimeSpan.FromSeconds(10));

        await cluster.StartEtcdAsync();
        await Task.Delay(TimeSpan.FromSeconds(12));
        RunningWork.AssertUnchanged(before, await cluster.RunningContainersAsync("default/ride"), "after etcd came back");
        Assert.Empty(RunningWork.NodeEvents(await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events"), cluster.NodeName, stoppedAt,
            "NodeNotReady", "NodeDown"));

        Assert.Equal(0, (await cluster.Orc("scale", "service", "ride", "--replicas", "3")).ExitCode);
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
}
