using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Grains;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Grains;

/// <summary>
/// ServiceGrain in a real silo on a real etcd: a failed rollout held (onFailure: pause) until resumed, pause and
/// resume of a rollout, and undo without a target. The test plays the agent: it reports the replicas' states.
/// </summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceGrainTests(EtcdServer etcd) : IAsyncLifetime
{
    private InProcessControlPlane _cp = null!;

    public async Task InitializeAsync()
    {
        _cp = await InProcessControlPlane.StartAsync(etcd);
        await _cp.AddNodeAsync("n1");
    }

    public async Task DisposeAsync() => await _cp.DisposeAsync();

    private IServiceGrain Web => _cp.Grains.GetGrain<IServiceGrain>("default/web");

    private static ServiceObject WebAt(int version) => new()
    {
        Metadata = new ObjectMeta { Name = "web" },
        Spec = new ServiceSpec
        {
            Image = $"local/web:{version}",
            Replicas = 2,
            Resources = new ResourceSpec { Memory = "16Mi" },
            UpdateStrategy = new UpdateStrategy { MaxSurge = "1", MaxUnavailable = "0", OnFailure = FailureAction.Pause },
        },
    };

    private async Task ApplyAsync(int version) =>
        Assert.NotEqual(ApplyActions.Unchanged, (await _cp.Store.ApplyServicesAsync([WebAt(version)], dryRun: false))[0].Action);

    private Task<IReadOnlyList<Replica>> ReplicasAsync() => _cp.Store.ListReplicasAsync("default", "web");

    /// <summary>What the agent would report: each replica in the state given, ready when running.</summary>
    private async Task ReportAsync(IEnumerable<Replica> replicas, ReplicaState state)
    {
        var now = DateTimeOffset.UtcNow;
        await _cp.Store.SaveReplicaStatusesAsync(replicas.Select(r => new ReplicaStatus
        {
            ReplicaId = r.Id, Namespace = r.Namespace, Service = r.Service, Node = r.Node, State = state,
            Ready = state == ReplicaState.Running, StartedAt = now.AddMinutes(-1), ReadySince = now.AddMinutes(-1), ObservedAt = now,
            Message = state == ReplicaState.Failed ? "image local/web:2 not found" : null,
        }).ToList());
    }

    /// <summary>Two running, ready replicas of version 1 and a complete rollout.</summary>
    private async Task<IReadOnlyList<Replica>> RunningV1Async()
    {
        await ApplyAsync(1);
        await Web.Reconcile(null);
        var v1 = await ReplicasAsync();
        Assert.Equal(2, v1.Count);
        await ReportAsync(v1, ReplicaState.Running);
        await Web.Reconcile(null);
        Assert.Equal(RolloutPhase.Complete, (await _cp.Store.GetRolloutAsync("default", "web"))!.Phase);
        return v1;
    }

    [Fact]
    public async Task A_failed_rollout_with_onFailure_pause_is_held_replacing_nothing_until_it_is_resumed()
    {
        var v1 = await RunningV1Async();
        await ApplyAsync(2);
        await Web.Reconcile(null);
        var surge = (await ReplicasAsync()).Where(r => v1.All(o => o.Id != r.Id)).ToList();
        Assert.Equal("local/web:2", Assert.Single(surge).Container.Image);

        await ReportAsync(surge, ReplicaState.Failed);
        await Web.Reconcile(null);

        var held = (await _cp.Store.GetRolloutAsync("default", "web"))!;
        Assert.Equal((RolloutPhase.Failed, 2L), (held.Phase, held.FailedRevision));
        Assert.Contains("image local/web:2 not found", held.FailureReason);
        // Held: passes later change nothing; both version-1 replicas run on, none is stopped or added.
        var before = await ReplicasAsync();
        for (var i = 0; i < 3; i++) await Web.Reconcile(null);
        var after = await ReplicasAsync();
        Assert.Equal(before.Select(r => (r.Id, r.Terminating)).Order(), after.Select(r => (r.Id, r.Terminating)).Order());
        Assert.All(v1, o => Assert.Contains(after, r => r.Id == o.Id && !r.Terminating));
        Assert.Contains((await _cp.Events.ListAsync("default/web")), e => e.Reason == "RolloutFailed");

        // Still held when the new replica recovers (the image appeared): its own slot is finished (the replica it
        // replaces is stopped), but no other slot gets a new replica until the rollout is resumed.
        await ReportAsync(surge, ReplicaState.Running);
        await Web.Reconcile(null);
        var stopped = (await ReplicasAsync()).Where(r => r.Terminating).ToList();
        Assert.Single(stopped);
        // The agent has stopped it: the surge is free again, and still nothing new starts.
        await ReportAsync(stopped, ReplicaState.Removed);
        for (var i = 0; i < 3; i++) await Web.Reconcile(null);
        Assert.Equal(RolloutPhase.Failed, (await _cp.Store.GetRolloutAsync("default", "web"))!.Phase);
        var recovered = await ReplicasAsync();
        Assert.Equal(surge.Select(r => r.Id), recovered.Where(r => r.Container.Image == "local/web:2").Select(r => r.Id));
        Assert.Single(recovered, r => v1.Any(o => o.Id == r.Id) && !r.Terminating);

        var resumed = await Web.SetPaused(false);
        Assert.Equal((RolloutPhase.Progressing, false, null), (resumed!.Phase, resumed.Paused, resumed.FailureReason));
        Assert.Equal(2, (await ReplicasAsync()).Count(r => r.Container.Image == "local/web:2"));
    }

    [Fact]
    public async Task A_paused_rollout_starts_no_new_replica_until_resumed()
    {
        var v1 = await RunningV1Async();

        var paused = await Web.SetPaused(true);
        Assert.True(paused!.Paused);
        await ApplyAsync(2);
        for (var i = 0; i < 3; i++) await Web.Reconcile(null);
        Assert.Equal(v1.Select(r => r.Id).Order(), (await ReplicasAsync()).Select(r => r.Id).Order());
        Assert.True((await _cp.Store.GetRolloutAsync("default", "web"))!.Paused);

        var resumed = await Web.SetPaused(false);
        Assert.False(resumed!.Paused);
        var replicas = await ReplicasAsync();
        Assert.Contains(replicas, r => r.Container.Image == "local/web:2");
        var reasons = (await _cp.Events.ListAsync("default/web")).Select(e => e.Reason).ToList();
        Assert.Contains("RolloutPaused", reasons);
        Assert.Contains("RolloutResumed", reasons);
    }

    [Fact]
    public async Task Undo_without_a_target_puts_the_previous_different_spec_back_as_a_new_revision()
    {
        await ApplyAsync(1);
        var none = await Web.Undo(null);
        Assert.Contains("has no earlier revision to go back to", none.Error);

        await ApplyAsync(2);
        var undo = await Web.Undo(null);

        Assert.Equal((3L, 1L, null), (undo.Revision, undo.ToRevision, undo.Error));
        var service = (await _cp.Store.GetServiceAsync("default", "web"))!;
        Assert.Equal(("local/web:1", 3L), (service.Spec.Image, service.Metadata.Revision));
        Assert.Contains((await _cp.Store.ListRevisionsAsync("default", "web")), r => r.Revision == 3 && r.ChangeCause.Contains("rollback to revision 1"));
    }
}
