using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Grains;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;
using Orchestrator.Scheduler;

namespace Orchestrator.ControlPlane.Tests.Grains;

/// <summary>
/// PlacementGrain against a real etcd: a slot that is filled is never placed again, and a decision computed for a
/// service that changed meanwhile is refused whole (nothing stored) and succeeds when it is made again.
/// </summary>
/// <remarks>
/// The grain class itself on a store of its own key prefix: no control plane runs beside it, so no background
/// reconcile places anything the test did not ask for. Orleans' part (one call at a time) is not what is tested here.
/// </remarks>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlacementGrainTests(EtcdServer etcd) : IAsyncLifetime, IDisposable
{
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/placement-" + Guid.NewGuid().ToString("N")[..8]);
    private ClusterStore Store => new(_kv, _keys, TimeProvider.System);
    private EventRecorder Events => new(_kv, _keys, TimeProvider.System, NullLogger<EventRecorder>.Instance);

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "n1", "n2" })
            await Store.UpdateNodeAsync(name, _ => new NodeInfo
            {
                Name = name, State = NodeState.Ready, LastHeartbeat = DateTimeOffset.UtcNow,
                Capacity = new NodeCapacity { MilliCpu = 8000, MemoryBytes = 16L << 30 },
            });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _kv.Dispose();

    private static ServiceObject Web(string image = "local/web:1", int replicas = 2) => new()
    {
        Metadata = new ObjectMeta { Name = "web" },
        Spec = new ServiceSpec { Image = image, Replicas = replicas, Resources = new ResourceSpec { Memory = "16Mi" } },
    };

    private PlacementGrain Placement => new(Store, Events, Placer.CreateDefault(), new ControlPlaneLifecycle(), TimeProvider.System, NullLogger<PlacementGrain>.Instance);

    private Task<IReadOnlyList<Replica>> ReplicasAsync() => Store.ListReplicasAsync("default", "web");

    [Fact]
    public async Task A_filled_slot_is_never_placed_a_second_time()
    {
        await Store.ApplyServicesAsync([Web()], dryRun: false);
        var first = await Placement.Place("default", "web", [1, 2], null);
        var placed = await ReplicasAsync();
        Assert.Equal((2, 2), (first.Placed, placed.Count));

        // Asked again for the same slots, as a second reconcile that looked before the first one wrote would ask.
        var again = await Placement.Place("default", "web", [1, 2], null);

        Assert.Equal((0, 0), (again.Placed, again.Unplaced));
        Assert.Equal(placed.Select(r => r.Id).Order(), (await ReplicasAsync()).Select(r => r.Id).Order());
    }

    [Fact]
    public async Task A_slot_held_by_a_replica_of_an_older_spec_is_placed_for_its_successor()
    {
        await Store.ApplyServicesAsync([Web(replicas: 1)], dryRun: false);
        await Placement.Place("default", "web", [1], null);
        var old = Assert.Single(await ReplicasAsync());
        await Store.ApplyServicesAsync([Web("local/web:2", replicas: 1)], dryRun: false);

        var successor = await Placement.Place("default", "web", [1], null);
        var again = await Placement.Place("default", "web", [1], null);

        Assert.Equal((1, 0), (successor.Placed, again.Placed));
        var replicas = await ReplicasAsync();
        Assert.Equal(["local/web:1", "local/web:2"], replicas.Select(r => r.Container.Image).Order());
        Assert.Contains(replicas, r => r.Id == old.Id);
    }

    [Fact]
    public async Task A_decision_for_a_service_that_changed_meanwhile_stores_nothing_and_the_retry_places()
    {
        await Store.ApplyServicesAsync([Web(replicas: 3)], dryRun: false);
        // A placer that changes the service while it decides: the commit must see that the service is no longer at
        // the revision it was read at.
        var store = Store;
        var meanwhile = new ChangeDuringPlacement(() => store.ScaleServiceAsync("default", "web", 4));
        var defaults = Placer.CreateDefault();
        var racing = new PlacementGrain(store, Events, new Placer([meanwhile, .. defaults.Filters], defaults.Scorers), new ControlPlaneLifecycle(), TimeProvider.System, NullLogger<PlacementGrain>.Instance);

        var conflict = await racing.Place("default", "web", [1, 2, 3], null);

        Assert.True(meanwhile.Changed);
        Assert.Equal((0, 3), (conflict.Placed, conflict.Unplaced));
        Assert.Contains("changed while it was being placed; retrying", conflict.Explanation);
        Assert.Empty(await ReplicasAsync());

        var retry = await new PlacementGrain(store, Events, defaults, new ControlPlaneLifecycle(), TimeProvider.System, NullLogger<PlacementGrain>.Instance).Place("default", "web", [1, 2, 3], null);
        Assert.Equal(3, retry.Placed);
        Assert.Equal([1, 2, 3], (await ReplicasAsync()).Select(r => r.Slot).Order());
    }

    /// <summary>A filter that passes every node and, the first time it is asked, changes the service in etcd.</summary>
    private sealed class ChangeDuringPlacement(Func<Task> change) : IFilter
    {
        public bool Changed { get; private set; }

        public string Name => "changes the service meanwhile";

        public FilterStatus Filter(PlacementContext ctx, NodeCandidate node)
        {
            if (!Changed)
            {
                Changed = true;
                change().GetAwaiter().GetResult();
            }
            return FilterStatus.Success;
        }
    }
}
