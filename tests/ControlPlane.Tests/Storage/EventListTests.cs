using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>`GET /api/v1/events` from the cluster cache's watch on a real etcd: no etcd list per request.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EventListTests(EtcdServer etcd) : IAsyncLifetime
{
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    // Nothing listens there: a recorder on it that answers a list answered from memory.
    private readonly EtcdKv _nowhere = EtcdKv.Connect($"http://127.0.0.1:{LoopbackPorts.Free()}");
    private readonly Keys _keys = new("/events-" + Guid.NewGuid().ToString("N")[..8]);
    private ClusterCache _cache = null!;

    public async Task InitializeAsync()
    {
        // An event stored before the cache starts: the list brings it.
        await Recorder(_kv, cache: null).ServiceEventAsync("default", "web", "Scheduled", "before the cache");
        _cache = new ClusterCache(_kv, _keys, TimeProvider.System, NullLogger<ClusterCache>.Instance);
        await _cache.StartAsync(default);
        Assert.True(await _cache.CatchUpAsync());
    }

    public async Task DisposeAsync()
    {
        await _cache.StopAsync(default);
        _kv.Dispose();
        _nowhere.Dispose();
    }

    private EventRecorder Recorder(EtcdKv kv, ClusterCache? cache) =>
        new(kv, _keys, TimeProvider.System, NullLogger<EventRecorder>.Instance, cache);

    [Fact]
    public async Task Events_are_listed_from_the_cache_by_scope_and_leave_it_when_deleted_in_etcd()
    {
        var writer = Recorder(_kv, _cache);
        await writer.ServiceEventAsync("default", "web", "Started", "one");
        await writer.ServiceEventAsync("default", "db", "Started", "two");
        await writer.ClusterEventAsync("Node/n1", "NodeReady", "three");

        // Read through a recorder whose own etcd connection leads nowhere: every answer comes from the cache's watch.
        var reader = Recorder(_nowhere, _cache);
        Assert.Equal(["before the cache", "one"], (await reader.ListAsync("default/web")).Select(e => e.Message));
        Assert.Equal(["before the cache", "one", "two"], (await reader.ListAsync("default")).Select(e => e.Message));
        Assert.Equal(["one", "two", "three"], (await reader.ListAsync(null, limit: 3)).Select(e => e.Message));

        var (stored, _) = await _kv.ListAsync(_keys.EventsOf("default/db"));
        var deleted = await _kv.CommitAsync(new EtcdTxn().DeleteKey(stored.Single().Key));
        Assert.True(await _cache.WaitForRevisionAsync(deleted.Revision));
        Assert.Equal(["before the cache", "one"], (await reader.ListAsync("default")).Select(e => e.Message));
    }
    [Fact]
    public async Task Events_recorded_at_once_share_transactions_and_each_is_stored_and_listed()
    {
        var writer = Recorder(_kv, _cache);
        var before = await _kv.CurrentRevisionAsync();
        await Task.WhenAll(Enumerable.Range(1, 300).Select(i => writer.ServiceEventAsync("default", "burst", "Started", $"replica {i}")));
        var after = await _kv.CurrentRevisionAsync();

        // Each returned once stored and shown: all 300 are listed at once, none lost.
        Assert.Equal(300, (await writer.ListAsync("default/burst", limit: 1000)).Count);
        var (stored, _) = await _kv.ListAsync(_keys.EventsOf("default/burst"));
        Assert.Equal(300, stored.Count);
        // One transaction moves etcd's revision by one: 300 events, one transaction each, would move it by 300
        // (the lease grant does not move it).
        Assert.InRange(after - before, 3, 150);
    }
}
