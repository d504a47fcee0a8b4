using System.Diagnostics;
using System.Net.Http.Json;
using Orchestrator.Contracts;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// A one-machine cluster made of real parts: an etcd process with a fresh data dir, a control-plane process,
/// a node agent process on the machine's Docker engine, and the real `orc` binary. Everything it starts is labelled
/// with a run id and removed at the end, also when a test fails.
/// </summary>
public sealed class TestCluster : IAsyncLifetime
{
    public string RunId { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..8];
    public string WorkDir { get; }
    public string EtcdUrl { get; }
    public string ApiUrl { get; }
    public string NodeName => RunId;
    public Docker Docker { get; } = new();
    public HttpClient Http { get; }

    private readonly int _etcdPeerPort = Ports.Free();
    private readonly int _apiPort = Ports.Free();
    private readonly int _siloPort = Ports.Free();
    private readonly int _gatewayPort = Ports.Free();
    private readonly int _agentPort = Ports.Free();
    private Process? _etcd, _controlPlane, _agent;

    public TestCluster()
    {
        WorkDir = Path.Combine(Path.GetTempPath(), "orchestrator-" + RunId);
        Directory.CreateDirectory(WorkDir);
        EtcdUrl = $"http://127.0.0.1:{Ports.Free()}";
        ApiUrl = $"http://127.0.0.1:{_apiPort}";
        Http = new HttpClient { BaseAddress = new Uri(ApiUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task InitializeAsync()
    {
        await Docker.RequireEngineAsync();
        await Docker.RemoveStaleTestContainersAsync();
        StartEtcd();
        await Wait.UntilAsync(async () => (await Etcdctl("endpoint", "health")).ExitCode == 0, TimeSpan.FromSeconds(20), "etcd to answer");
        await StartControlPlaneAsync();
        StartAgent();
        await Wait.UntilAsync(async () =>
        {
            var nodes = await TryGetAsync<List<NodeInfo>>("/api/v1/nodes");
            return nodes?.Any(n => n.Name == NodeName) == true;
        }, TimeSpan.FromSeconds(30), "the agent to register its node");
    }

    public async Task DisposeAsync()
    {
        ProcessRunner.Stop(_agent);
        ProcessRunner.Stop(_controlPlane);
        ProcessRunner.Stop(_etcd);
        await Docker.RemoveClusterContainersAsync(RunId);
        Http.Dispose();
        try { Directory.Delete(Path.Combine(WorkDir, "etcd"), recursive: true); } catch (IOException) { }
    }

    private void StartEtcd() =>
        _etcd = ProcessRunner.StartDaemon("etcd",
        [
            "--name", RunId, "--data-dir", Path.Combine(WorkDir, "etcd"),
            "--listen-client-urls", EtcdUrl, "--advertise-client-urls", EtcdUrl,
            "--listen-peer-urls", $"http://127.0.0.1:{_etcdPeerPort}",
            "--initial-advertise-peer-urls", $"http://127.0.0.1:{_etcdPeerPort}",
            "--initial-cluster", $"{RunId}=http://127.0.0.1:{_etcdPeerPort}",
        ], Path.Combine(WorkDir, "etcd.log"));

    public async Task StartControlPlaneAsync()
    {
        _controlPlane = ProcessRunner.StartDaemon("dotnet",
        [
            Repo.Program("ControlPlane", "Orchestrator.ControlPlane.dll"),
            "--urls", ApiUrl, "--etcd", EtcdUrl, "--cluster-id", RunId,
            "--silo-port", _siloPort.ToString(), "--gateway-port", _gatewayPort.ToString(),
        ], Path.Combine(WorkDir, "controlplane.log"));
        await Wait.UntilAsync(async () =>
        {
            try { return (await Http.GetAsync("/readyz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(60), "the control plane to be ready (see " + Path.Combine(WorkDir, "controlplane.log") + ")");
    }

    /// <summary>SIGKILL, as a crash would: no graceful shutdown to hide behind.</summary>
    public void KillControlPlane()
    {
        _controlPlane?.Kill(entireProcessTree: true);
        _controlPlane?.WaitForExit(10_000);
    }

    private void StartAgent() =>
        _agent = ProcessRunner.StartDaemon("dotnet",
        [
            Repo.Program("NodeAgent", "Orchestrator.NodeAgent.dll"),
            "--api", ApiUrl, "--node-name", NodeName, "--cluster", RunId,
            "--listen", $"http://127.0.0.1:{_agentPort}", "--labels", "zone=a",
        ], Path.Combine(WorkDir, "agent.log"));

    /// <summary>Runs the real `orc` CLI against this cluster.</summary>
    public Task<CommandResult> Orc(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [Repo.Program("Cli", "orc.dll"), .. args],
            new Dictionary<string, string> { ["ORC_SERVER"] = ApiUrl }, timeout: TimeSpan.FromSeconds(60));

    public Task<CommandResult> Etcdctl(params string[] args) =>
        ProcessRunner.RunAsync("etcdctl", ["--endpoints", EtcdUrl, .. args],
            new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });

    /// <summary>Writes a manifest into the run's folder and returns its path.</summary>
    public string Manifest(string fileName, string yaml)
    {
        var path = Path.Combine(WorkDir, fileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    public async Task<T?> TryGetAsync<T>(string path)
    {
        try
        {
            var response = await Http.GetAsync(path);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<T>(Json.Options) : default;
        }
        catch (HttpRequestException)
        {
            return default;
        }
    }

    /// <summary>The running containers of one service in this cluster, as the engine sees them.</summary>
    public Task<IReadOnlyList<ContainerInfo>> RunningContainersAsync(string service) =>
        Docker.ContainersAsync(RunId, service, runningOnly: true);
}
