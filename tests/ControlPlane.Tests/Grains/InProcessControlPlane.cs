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

    private InProcessControlPlane(WebApplication app, string apiUrl, string dataDir)
    {
        _app = app;
        ApiUrl = apiUrl;
        DataDir = dataDir;
    }

    /// <summary>Where its HTTPS API listens (a real Kestrel on loopback).</summary>
    public string ApiUrl { get; }
    /// <summary>Its --data-dir: a fresh temporary directory holding admin.token and the cluster CA (ca.crt, ca.key).</summary>
    public string DataDir { get; }
    public string AdminToken => File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim();
    public IServiceProvider Services => _app.Services;

    /// <summary>A client of its API that trusts only the cluster CA it created in its data dir, and follows no redirect.</summary>
    public HttpClient CreateHttpClient()
    {
        var handler = Orchestrator.Tls.ClusterTrust.FromFile(Path.Combine(DataDir, "ca.crt")).Handler();
        handler.AllowAutoRedirect = false;
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public ClusterStore Store => _app.Services.GetRequiredService<ClusterStore>();
    public EventRecorder Events => _app.Services.GetRequiredService<EventRecorder>();
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public static async Task<InProcessControlPlane> StartAsync(EtcdServer etcd)
    {
        var id = "grains-" + Guid.NewGuid().ToString("N")[..8];
        var apiUrl = $"https://127.0.0.1:{LoopbackPorts.Free()}";
        var dataDir = Path.Combine(Path.GetTempPath(), "orchestrator-" + id);
        var app = ControlPlaneHost.Build(
        [
            "--urls", apiUrl, "--data-dir", dataDir, "--etcd", etcd.ClientUrl, "--key-prefix", "/" + id,
            "--clustering", "localhost", "--cluster-id", id,
            "--silo-port", LoopbackPorts.Free().ToString(), "--gateway-port", LoopbackPorts.Free().ToString(),
            "--node-not-ready-after", "01:00:00", "--node-down-after", "02:00:00",
        ]);
        await app.StartAsync();
        // As /readyz does: the admin token of the data dir is in etcd before anyone uses it.
        var admin = app.Services.GetRequiredService<Auth.AdminTokenBootstrap>();
        for (var waited = 0; !admin.IsDone && waited < 200; waited++) await Task.Delay(50);
        return new InProcessControlPlane(app, apiUrl, dataDir);
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
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
