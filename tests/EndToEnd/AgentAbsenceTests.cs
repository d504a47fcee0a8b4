using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// The agent of a one-node cluster stops for a minute: the node goes Down, but its replicas can go nowhere else, so
/// they stay assigned; the agent that starts again adopts the very same containers.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AgentAbsenceTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    [Fact]
    public async Task An_agent_away_for_60_seconds_on_a_one_node_cluster_comes_back_to_the_same_containers()
    {
        var manifest = cluster.Manifest("lone.yaml", SleepService.Yaml("lone", 3));
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/lone")).Count == 3,
            TimeSpan.FromSeconds(20), "3 running containers");
        // The control plane has heard of all three starts too (their events are before the stop, not after).
        await Wait.UntilAsync(async () => (await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/lone"))?.Status.Ready == 3,
            TimeSpan.FromSeconds(20), "the API to count 3 ready");
        var before = await cluster.RunningContainersAsync("default/lone");
        var replicasBefore = await ReplicaIdsAsync();

        var stoppedAt = DateTimeOffset.UtcNow;
        await cluster.StopAgentAsync();
        await Wait.UntilAsync(async () => RunningWork.NodeEvents(await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events"),
            cluster.NodeName, stoppedAt, "NodeDown").Count > 0, TimeSpan.FromSeconds(30), "the node to be declared Down");
        await Task.Delay(TimeSpan.FromSeconds(60) - (DateTimeOffset.UtcNow - stoppedAt));
        // Down, but nothing could be placed elsewhere: the assignments stay as they were.
        Assert.Equal(replicasBefore, await ReplicaIdsAsync());
        RunningWork.AssertUnchanged(before, await cluster.RunningContainersAsync("default/lone"), "while the agent was away");

        cluster.StartAgent();
        await Wait.UntilAsync(async () => (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes"))?
            .Any(n => n.Name == cluster.NodeName && n.State == NodeState.Ready) == true, TimeSpan.FromSeconds(30), "the node Ready again");
        // A few of the new agent's reconcile passes (and its status reports).
        await Task.Delay(TimeSpan.FromSeconds(8));
        RunningWork.AssertUnchanged(before, await cluster.RunningContainersAsync("default/lone"), "after the agent came back");
        Assert.Equal(replicasBefore, await ReplicaIdsAsync());
        var events = await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events?namespace=default&service=lone");
        Assert.DoesNotContain(events!, e => e.Time >= stoppedAt && e.Reason is "Removed" or "Started");
    }

    private async Task<List<string>> ReplicaIdsAsync() =>
        (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=lone"))!
            .Select(r => r.Replica.Id).Order().ToList();
}
