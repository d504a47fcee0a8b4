using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Grains;

/// <summary>
/// The real control plane (ASP.NET Core + an Orleans silo alone on localhost) in this process, on the test etcd under
/// its own key prefix, so that a test calls the real grains and reads what they stored. Nodes never go NotReady by
/// silence here (thresholds of hours): there is no agent, the test writes what an agent would report.
/// </summary>
public sealed class InProcessControlPlane : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessControlPlane(WebApplication app) => _app = app;

    public ClusterStore Store => _app.Services.GetRequiredService<ClusterStore>();
    public EventRecorder Events => _app.Services.GetRequiredService<EventRecorder>();
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public static async Task<InProcessControlPlane> StartAsync(EtcdServer etcd)
    {
        var id = "grains-" + Guid.NewGuid().ToString("N")[..8];
        var app = ControlPlaneHost.Build(
        [
            "--urls", $"https://127.0.0.1:{LoopbackPorts.Free()}", "--etcd", etcd.ClientUrl, "--key-prefix", "/" + id,
            "--data-dir", Path.Combine(Path.GetTempPath(), "orchestrator-" + id),
            "--clustering", "localhost", "--cluster-id", id,
            "--silo-port", LoopbackPorts.Free().ToString(), "--gateway-port", LoopbackPorts.Free().ToString(),
            "--node-not-ready-after", "01:00:00", "--node-down-after", "02:00:00",
        ]);
        await app.StartAsync();
        return new InProcessControlPlane(app);
    }

    /// <summary>A Ready node with room for everything the tests place, as its agent would register it.</summary>
    public Task<NodeInfo> AddNodeAsync(string name) => Store.UpdateNodeAsync(name, _ => new NodeInfo
    {
        Name = name,
        Capacity = new NodeCapacity { MilliCpu = 8000, MemoryBytes = 16L << 30 },
        State = NodeState.Ready,
        LastHeartbeat = DateTimeOffset.UtcNow,
    });

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try { await _app.StopAsync(stop.Token); } catch (OperationCanceledException) { /* disposed below either way */ }
        await _app.DisposeAsync();
    }
}
