using System.Diagnostics;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Replace before remove, on the 3-host testbed: a Down node's replicas go only once their successors are placed
/// elsewhere. When every other node is full they stay assigned, run on, and are kept when the node returns; when there
/// is room they are replaced as fast as before.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class FullClusterAgentLossTests(MultiHostCluster cluster) : IClassFixture<MultiHostCluster>
{
    [Fact]
    public async Task With_no_room_elsewhere_a_lost_nodes_replicas_are_kept_and_run_on_when_its_agent_returns()
    {
        // One replica per node and three nodes: the cluster is full for this service.
        Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("full.yaml", SleepService.Yaml("full", 3, placement: "    maxPerNode: 1")))).ExitCode);
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "full") == 3, TimeSpan.FromSeconds(30), "3 running");
        var h3 = cluster.Hosts[2];
        var before = await cluster.ContainersOnHostAsync(h3, "default", "full");
        Assert.Single(before);

        var stoppedAt = DateTimeOffset.UtcNow;
        await cluster.StopAgentAsync(h3);
        await Wait.UntilAsync(async () => (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes"))!
            .Single(n => n.Name == h3.Name).State == NodeState.Down, TimeSpan.FromSeconds(20), $"{h3.Name} Down");
        await Task.Delay(TimeSpan.FromSeconds(30) - (DateTimeOffset.UtcNow - stoppedAt));

        // Down for a while, and still its replica is assigned there (nowhere else to go) and its container runs.
        var replicas = (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=full"))!;
        Assert.Equal(3, replicas.Count);
        Assert.Single(replicas, r => r.Replica.Node == h3.Name);
        RunningWork.AssertUnchanged(before, await cluster.ContainersOnHostAsync(h3, "default", "full"), $"while {h3.Name}'s agent was away");
        var pending = await cluster.Orc("describe", "service", "full");
        Assert.Contains("pending", pending.Stdout);

        await cluster.JoinAsync(h3);
        await Task.Delay(TimeSpan.FromSeconds(8));
        RunningWork.AssertUnchanged(before, await cluster.ContainersOnHostAsync(h3, "default", "full"), $"after {h3.Name}'s agent returned");
        Assert.Equal(3, await cluster.CountRunningAsync("default", "full"));
        var events = (await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events?namespace=default&service=full"))!;
        Assert.DoesNotContain(events, e => e.Time >= stoppedAt && e.Reason == "Removed");
    }

    [Fact]
    public async Task With_room_elsewhere_a_lost_nodes_replicas_are_replaced_within_15_seconds()
    {
        Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("roomy.yaml", SleepService.Yaml("roomy", 3, placement: "    maxPerNode: 2")))).ExitCode);
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "roomy") == 3, TimeSpan.FromSeconds(30), "3 running");
        var perHost = await cluster.RunningPerHostAsync("default", "roomy");
        var lost = cluster.Hosts.First(h => perHost.GetValueOrDefault(h.Name) > 0);
        var others = cluster.Hosts.Where(h => h != lost).ToList();
        var onLost = perHost[lost.Name];

        var clock = Stopwatch.StartNew();
        await cluster.StopAgentAsync(lost);
        // Its containers run on (only the agent stopped), so count the successors on the other hosts.
        var expected = 3;
        await Wait.UntilAsync(async () =>
        {
            var sum = 0;
            foreach (var h in others) sum += (await cluster.ContainersOnHostAsync(h, "default", "roomy")).Count;
            return sum == expected;
        }, TimeSpan.FromSeconds(15), $"{onLost} replica(s) of {lost.Name} replaced on the others");
        Measurements.Record($"replicas of a node whose agent stopped replaced elsewhere in {clock.Elapsed.TotalSeconds:0.0} s");

        // The returning agent stops what was replaced meanwhile: never more than desired once things settle.
        await cluster.JoinAsync(lost);
        await Wait.UntilAsync(async () => (await cluster.ContainersOnHostAsync(lost, "default", "roomy")).Count == 0,
            TimeSpan.FromSeconds(30), $"{lost.Name} to stop what was replaced");
        Assert.Equal(3, await cluster.CountRunningAsync("default", "roomy"));
    }
}
