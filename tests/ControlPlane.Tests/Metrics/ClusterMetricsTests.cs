using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Metrics;

/// <summary>The gauges read what is really stored in etcd, and every etcd request is timed by its operation.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ClusterMetricsTests(EtcdServer etcd) : IDisposable
{
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private ClusterStore Store => new(_kv, _keys, TimeProvider.System);

    public void Dispose()
    {
        _services.Dispose();
        _kv.Dispose();
    }

    private static ServiceObject Svc(string name, int replicas) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new ServiceSpec { Image = "local/web:1", Replicas = replicas, Resources = new ResourceSpec { Cpu = "500m", Memory = "32Mi" } },
    };

    private static string Tags(MetricReader.Point p) => string.Join(",", p.Tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"));

    [Fact]
    public async Task Gauges_report_the_stored_services_statuses_and_nodes_after_a_refresh()
    {
        var store = Store;
        var heartbeat = DateTimeOffset.UtcNow.AddSeconds(-30);
        await store.UpdateNodeAsync("n1", _ => new NodeInfo
        {
            Name = "n1", State = NodeState.Ready, LastHeartbeat = heartbeat,
            Capacity = new NodeCapacity { MilliCpu = 2000, MemoryBytes = 1L << 30 },
        });
        await store.ApplyServicesAsync([Svc("web", 3)], dryRun: false);
        var web = (await store.GetServiceAsync("default", "web"))!;
        var replicas = Enumerable.Range(1, 2).Select(slot => new Replica
        {
            Id = $"r{slot}", Service = "web", Slot = slot, Node = "n1", Container = ContainerSpec.From(web.Spec),
        }).ToList();
        Assert.Equal(replicas.Count, (await store.AddReplicasAsync(web, replicas)).Count);
        await store.SaveReplicaStatusesAsync(
        [
            new ReplicaStatus { ReplicaId = "r1", Service = "web", Node = "n1", State = ReplicaState.Running, ContainerId = "c1", Ready = true },
            new ReplicaStatus { ReplicaId = "r2", Service = "web", Node = "n1", State = ReplicaState.Exited },
        ]);

        var meters = _services.GetRequiredService<IMeterFactory>();
        var metrics = new ClusterMetrics(store, TimeProvider.System, meters, NullLogger<ClusterMetrics>.Instance);
        using var reader = new MetricReader(i => i.Meter.Scope == meters);
        Assert.DoesNotContain(reader.Observe(), p => p.Instrument.StartsWith("orchestrator.service."));

        await metrics.RefreshAsync(CancellationToken.None);
        var points = reader.Observe().ToLookup(p => p.Instrument);

        string[] Values(string instrument) => points[instrument].Select(p => $"{Tags(p)}:{p.Value}").Order().ToArray();
        Assert.Equal(["namespace=default,service=web:3"], Values("orchestrator.service.replicas.desired"));
        Assert.Equal(["namespace=default,service=web:1"], Values("orchestrator.service.replicas.running"));
        Assert.Equal(["namespace=default,service=web:1"], Values("orchestrator.service.replicas.ready"));
        Assert.Equal(["namespace=default,service=web:1"], Values("orchestrator.service.replicas.pending"));
        Assert.Equal(["state=Down:0", "state=NotReady:0", "state=Ready:1"], Values("orchestrator.nodes"));
        Assert.Equal([":0"], Values("orchestrator.nodes.cordoned"));
        Assert.Equal(["node=n1:2"], Values("orchestrator.node.cpu.allocatable"));
        Assert.Equal(["node=n1:1"], Values("orchestrator.node.cpu.allocated"));
        Assert.Equal([$"node=n1:{1L << 30}"], Values("orchestrator.node.memory.allocatable"));
        Assert.Equal([$"node=n1:{64L << 20}"], Values("orchestrator.node.memory.allocated"));
        var age = Assert.Single(points["orchestrator.node.heartbeat.age"]).Value;
        Assert.InRange(age, 30, 120);
    }

    [Fact]
    public async Task Every_etcd_request_is_timed_by_operation_and_outcome()
    {
        using var reader = new MetricReader(i => i.Name == "orchestrator.etcd.request.duration");
        var key = _keys.Node("timed");

        await _kv.CommitAsync(new EtcdTxn().Require(key, 0).PutValue(key, "{}"));
        await _kv.GetAsync(key);
        await _kv.ListAsync(_keys.Nodes);
        await _kv.GrantLeaseAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAnyAsync<Exception>(() => _kv.GetAsync(key, new CancellationToken(canceled: true)));
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            var watch = _kv.WatchAsync(_keys.Nodes, (await _kv.CurrentRevisionAsync()), cts.Token).GetAsyncEnumerator(cts.Token);
            var first = watch.MoveNextAsync().AsTask();
            await _kv.CommitAsync(new EtcdTxn().DeleteKey(key));
            Assert.True(await first);
            await cts.CancelAsync();
            await watch.DisposeAsync();
        }

        var recorded = reader.Recorded();
        var seen = recorded.Select(p => $"{p.Tags["operation"]}:{p.Tags["outcome"]}").ToHashSet();
        Assert.Superset(new HashSet<string> { "txn:ok", "get:ok", "get:error", "range:ok", "lease_grant:ok", "watch:ok" }, seen);
        Assert.All(recorded, p => Assert.InRange(p.Value, 0, 30));
    }
}
