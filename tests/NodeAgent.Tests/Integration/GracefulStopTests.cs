using System.Diagnostics;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>
/// A replica marked terminating by a rollout is taken out of service and stopped the way its spec says: the stop signal,
/// the grace period, then SIGKILL; the agent reports Terminating while it stops and Removed once the container is gone.
/// </summary>
[Trait("Category", "Integration")]
[Collection(DockerEngineCollection.Name)]
public sealed class GracefulStopTests : IAsyncLifetime
{
    private static readonly TimeSpan SlowResync = TimeSpan.FromMinutes(5);
    private readonly DockerCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();
    public Task DisposeAsync() => _cluster.DisposeAsync();

    private async Task<(AgentHarness Harness, AssignmentConnection Stream, string ContainerId)> RunningAsync(Replica replica)
    {
        var harness = new AgentHarness(_cluster.Runtime, SlowResync);
        var stream = await harness.Api.NextConnectionAsync();
        await stream.SyncAsync(1, replica);
        await Eventually.HoldsAsync(() => harness.Latest(replica.Id) is { State: ReplicaState.Running, Ready: true }, TimeSpan.FromSeconds(15), "running");
        return (harness, stream, (await DockerCli.ContainerIdsAsync(_cluster.Name)).Single());
    }

    private static Task Terminate(AssignmentConnection stream, Replica replica) => stream.SendAsync(new AssignmentEvent
    {
        Type = AssignmentEventType.Put, Revision = 2, Replica = replica with { Terminating = true, TerminationReason = "replaced by the new revision" },
    });

    [Fact]
    public async Task A_process_that_handles_its_stop_signal_exits_on_it_and_the_replica_is_reported_removed()
    {
        var id = DockerCluster.UniqueId("term");
        // PID 1 with a handler: it writes where it was told to stop and exits 0 at once.
        Replica replica = Replica(id).Args("sh", "-c", "trap 'echo stopping on INT; exit 0' INT; while true; do sleep 0.2; done").Stop("SIGINT", "30s");
        var (harness, stream, container) = await RunningAsync(replica);
        await using var _ = harness;
        Assert.Equal("SIGINT", await DockerCli.InspectAsync(container, "{{.Config.StopSignal}}"));

        var clock = Stopwatch.StartNew();
        await Terminate(stream, replica);

        await Eventually.HoldsAsync(() => harness.Latest(id) is { State: ReplicaState.Removed }, TimeSpan.FromSeconds(20), "reported removed");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed.TotalSeconds:0.0}s: the signal was not the one asked for");
        Assert.Empty(await DockerCli.ContainerIdsAsync(_cluster.Name));
        Assert.Contains(harness.Api.Reports.SelectMany(r => r.Replicas), s => s.ReplicaId == id && s.State == ReplicaState.Terminating && !s.Ready);
    }

    [Fact]
    public async Task A_process_that_ignores_the_signal_gets_its_grace_period_and_then_is_killed()
    {
        var id = DockerCluster.UniqueId("kill");
        // PID 1 without a handler ignores SIGTERM: only the kill after the grace ends it.
        Replica replica = Replica(id).Args("sh", "-c", "while true; do sleep 0.2; done").Stop("SIGTERM", "3s");
        var (harness, stream, container) = await RunningAsync(replica);
        await using var _ = harness;

        var clock = Stopwatch.StartNew();
        await Terminate(stream, replica);
        await Eventually.HoldsAsync(async () => (await DockerCli.ContainerIdsAsync(_cluster.Name)).Length == 0, TimeSpan.FromSeconds(20), "container gone");

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.8), $"killed after {clock.Elapsed.TotalSeconds:0.0}s, before its 3 s grace");
        await Eventually.HoldsAsync(() => harness.Latest(id) is { State: ReplicaState.Removed }, TimeSpan.FromSeconds(10), "reported removed");
        Assert.DoesNotContain(harness.Api.Reports.SelectMany(r => r.Replicas), s => s.ReplicaId == id && s.State == ReplicaState.Terminating && s.Ready);
    }
}
