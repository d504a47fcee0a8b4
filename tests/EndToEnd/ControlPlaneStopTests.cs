using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// A normal stop of the control plane (SIGTERM, as for an upgrade) leaves every container alone: the agent keeps what
/// runs while no control plane answers, and the one that comes back takes no node for dead and works.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ControlPlaneStopTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private static readonly TimeSpan Away = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SIGTERM_then_60_seconds_away_then_a_start_changes_no_container_and_takes_no_node_for_down()
    {
        var manifest = cluster.Manifest("stay.yaml", SleepService.Yaml("stay", 3));
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);
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
        Assert.Equal(0, (await cluster.Orc("scale", "service", "stay", "--replicas", "4")).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/stay")).Count == 4,
            TimeSpan.FromSeconds(20), "4 running containers after the scale");
        var after = await cluster.RunningContainersAsync("default/stay");
        RunningWork.AssertUnchanged(before, after.Where(c => before.Any(b => b.Id == c.Id)).ToList(), "after the scale");
    }
}
