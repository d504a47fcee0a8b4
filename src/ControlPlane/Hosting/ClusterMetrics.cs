using System.Diagnostics.Metrics;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>
/// The gauges of cluster state (replicas per service, nodes by state, heartbeat age, allocatable and allocated resources).
/// A scrape reads the last snapshot in memory; the snapshot is read from etcd every <see cref="RefreshInterval"/>, so
/// scrapes cost etcd nothing and the values are at most that old (the heartbeat age is computed at the scrape).
/// </summary>
public sealed class ClusterMetrics : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly ClusterStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterMetrics> _log;
    private ClusterGauges _current = ClusterGauges.Empty;
    private bool _failing;

    public ClusterMetrics(ClusterStore store, TimeProvider time, IMeterFactory meters, ILogger<ClusterMetrics> log)
    {
        (_store, _time, _log) = (store, time, log);
        var meter = meters.Create(Telemetry.Name);
        ServiceGauge("orchestrator.service.replicas.desired", "replicas the service asks for", s => s.Desired);
        ServiceGauge("orchestrator.service.replicas.running", "replicas whose container the agents report running", s => s.Running);
        ServiceGauge("orchestrator.service.replicas.ready", "running replicas that pass their readiness probe (or have none)", s => s.Ready);
        ServiceGauge("orchestrator.service.replicas.pending", "desired slots with no replica placed", s => s.Pending);
        meter.CreateObservableGauge("orchestrator.nodes", () => Current.NodesByState
                .Select(p => new Measurement<int>(p.Value, new KeyValuePair<string, object?>("state", p.Key.ToString()))),
            "{node}", "registered nodes by state (Ready, NotReady, Down)");
        meter.CreateObservableGauge("orchestrator.nodes.cordoned", () => Current.CordonedNodes, "{node}",
            "nodes that take no new replicas (cordoned or draining)");
        meter.CreateObservableGauge("orchestrator.node.heartbeat.age", () => Current.Nodes
                .Select(n => NodeMeasurement(n, Math.Max(0, (_time.GetUtcNow() - n.LastHeartbeat).TotalSeconds))),
            "s", "time since the node's last heartbeat");
        NodeGauge("orchestrator.node.cpu.allocatable", "{cpu}", "cpu the node offers, in cores", n => n.CpuAllocatable);
        NodeGauge("orchestrator.node.cpu.allocated", "{cpu}", "cpu requested by the replicas placed on the node, in cores", n => n.CpuAllocated);
        NodeGauge("orchestrator.node.memory.allocatable", "By", "memory the node offers", n => n.MemoryAllocatable);
        NodeGauge("orchestrator.node.memory.allocated", "By", "memory requested by the replicas placed on the node", n => n.MemoryAllocated);

        void ServiceGauge(string name, string description, Func<ServiceGauge, int> value) =>
            meter.CreateObservableGauge(name, () => Current.Services.Select(s => new Measurement<int>(value(s),
                new KeyValuePair<string, object?>("namespace", s.Namespace), new KeyValuePair<string, object?>("service", s.Service))),
                "{replica}", description);

        void NodeGauge(string name, string unit, string description, Func<NodeGauge, double> value) =>
            meter.CreateObservableGauge(name, () => Current.Nodes.Select(n => NodeMeasurement(n, value(n))), unit, description);
    }

    /// <summary>The snapshot the gauges report now.</summary>
    public ClusterGauges Current => Volatile.Read(ref _current);

    private static Measurement<double> NodeMeasurement(NodeGauge node, double value) =>
        new(value, new KeyValuePair<string, object?>("node", node.Node));

    /// <summary>Reads services, replicas, statuses and nodes and makes them the current snapshot.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var services = await _store.ListServicesAsync(null, ct);
        var replicas = await _store.ListReplicasAsync(ct: ct);
        var statuses = await _store.ListReplicaStatusesAsync(ct: ct);
        var nodes = await _store.ListNodesAsync(ct);
        Volatile.Write(ref _current, ClusterGauges.From(services, replicas, statuses, nodes));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
                if (_failing) _log.LogInformation("cluster metrics: etcd readable again");
                _failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The gauges keep the last snapshot; one line when reading starts failing, not one per second.
                if (!_failing) _log.LogWarning("cluster metrics: cannot read the cluster state ({Message}); the gauges show the last snapshot", e.GetBaseException().Message);
                _failing = true;
            }
            try { await Task.Delay(RefreshInterval, _time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}

public static class ClusterMetricsExtensions
{
    public static IServiceCollection AddClusterMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ClusterMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterMetrics>());
        return services;
    }
}
