using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Network;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Network;

/// <summary>The network view pushed to agents, derived from the cache of a real etcd: again when what it shows changed, not at every lease.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NetworkPublisherTests(EtcdServer etcd) : IAsyncLifetime
{
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/net-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private ClusterCache _cache = null!;
    private ClusterStore _store = null!;
    private NetworkPublisher _publisher = null!;

    public async Task InitializeAsync()
    {
        _cache = new ClusterCache(_kv, _keys, TimeProvider.System, NullLogger<ClusterCache>.Instance);
        _store = new ClusterStore(_kv, _keys, TimeProvider.System, _cache);
        await _cache.StartAsync(default);
        await _store.UpdateNodeAsync("n1", _ => new NodeInfo { Name = "n1", Address = "10.0.0.1", Subnet = "10.240.1.0/24", State = NodeState.Ready });
        // No grain factory: the endpoint events it would record are best effort, and their failure is only logged.
        _publisher = new NetworkPublisher(_cache, _store, _keys, null!, TimeProvider.System, _services.GetRequiredService<IMeterFactory>(), NullLogger<NetworkPublisher>.Instance);
        await _publisher.StartAsync(default);
        await Until(() => _publisher.Current?.Nodes.Any(n => n.Name == "n1") == true);
    }

    public async Task DisposeAsync()
    {
        await _publisher.StopAsync(default);
        await _cache.StopAsync(default);
        await _services.DisposeAsync();
        _kv.Dispose();
    }

    [Fact]
    public async Task A_renewed_lease_derives_nothing_and_a_change_of_state_is_published()
    {
        var (builds, version) = (_publisher.Builds, _publisher.Current!.Version);

        // What a heartbeat writes every 10 s: the lease, nothing the view shows.
        for (var i = 1; i <= 5; i++)
            await _store.UpdateNodeAsync("n1", n => n! with { LastHeartbeat = DateTimeOffset.UtcNow, ObservedRevision = i });
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(builds, _publisher.Builds);
        Assert.Equal(version, _publisher.Current!.Version);

        await _store.UpdateNodeAsync("n1", n => n! with { State = NodeState.Down });
        await Until(() => _publisher.Current!.Nodes.Single(n => n.Name == "n1").State == NodeState.Down);
        Assert.True(_publisher.Builds > builds);
        Assert.NotEqual(version, _publisher.Current!.Version);
    }

    private static async Task Until(Func<bool> condition)
    {
        var end = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < end, "waited 10 s for the network view");
            await Task.Delay(20);
        }
    }
}
