using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>The control plane dies and comes back: nothing lost, nothing duplicated, nothing restarted, and it works.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ControlPlaneRestartTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    [Fact]
    public async Task Killing_and_restarting_the_control_plane_keeps_the_same_replicas_running()
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
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);
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
