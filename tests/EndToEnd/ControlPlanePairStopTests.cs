using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Two control planes; the one the agent talks to is stopped with SIGTERM and stays away for a minute. The other goes on
/// serving and judging nodes, the agent turns to it, and no container is touched.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ControlPlanePairStopTests(TwoControlPlaneCluster cluster) : IClassFixture<TwoControlPlaneCluster>
{
    [Fact]
    public async Task SIGTERM_of_one_of_two_control_planes_changes_no_container_and_the_other_serves_on()
    {
        var manifest = cluster.Manifest("pair.yaml", SleepService.Yaml("pair", 3));
        Assert.Equal(0, (await cluster.Orc(cluster.First, "apply", "-f", manifest)).ExitCode);
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
        Assert.Equal(0, (await cluster.Orc(cluster.Second, "scale", "service", "pair", "--replicas", "4")).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/pair")).Count == 4,
            TimeSpan.FromSeconds(30), "4 running containers after a scale through the surviving control plane");
    }
}
