using System.Diagnostics;
using Orchestrator.Contracts;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// One etcd, two control-plane processes forming one Orleans cluster, and one agent on the machine's engine that
/// knows both (`--api first,second`). Everything is labelled with a run id and removed at the end.
/// </summary>
public sealed class TwoControlPlaneCluster : IAsyncLifetime
{
    public string RunId { get; } = "e2e-cp2-" + Guid.NewGuid().ToString("N")[..8];
    public string WorkDir { get; }
    public string NodeName => RunId;
    public Docker Docker { get; } = new();
    public ControlPlaneServer First { get; }
    public ControlPlaneServer Second { get; }
    public ClusterTls Tls { get; }
    public string AgentLog => Path.Combine(WorkDir, "agent.log");

    private readonly EtcdServer _etcd;
    private readonly int _agentPort = Ports.Free();
    private readonly RunLock _lock;
    private Process? _agent;

    public TwoControlPlaneCluster()
    {
        _lock = RunLock.Take(RunId);
        WorkDir = Path.Combine(Path.GetTempPath(), "orchestrator-" + RunId);
        Directory.CreateDirectory(WorkDir);
        _etcd = new EtcdServer(RunId, WorkDir);
        Tls = new ClusterTls(WorkDir);
        First = new ControlPlaneServer($"https://127.0.0.1:{Ports.Free()}", _etcd.Url, RunId, Path.Combine(WorkDir, "controlplane-1.log"), Tls);
        Second = new ControlPlaneServer($"https://127.0.0.1:{Ports.Free()}", _etcd.Url, RunId, Path.Combine(WorkDir, "controlplane-2.log"), Tls);
    }

    public async Task InitializeAsync()
    {
        await Docker.RequireEngineAsync();
        await Docker.RemoveStaleTestContainersAsync();
        await _etcd.StartAsync();
        await First.StartAsync();
        await Second.StartAsync();
        _agent = ProcessRunner.StartDaemon("dotnet",
        [
            Repo.Program("NodeAgent", "Orchestrator.NodeAgent.dll"),
            "--api", $"{First.ApiUrl},{Second.ApiUrl}", "--node-name", NodeName, "--cluster", RunId,
            "--listen", $"https://127.0.0.1:{_agentPort}", .. Tls.AgentArgs,
            .. await Credentials.AgentArgsAsync(First.ApiUrl, Path.Combine(WorkDir, "agent-state")),
        ], AgentLog);
        await Wait.UntilAsync(async () => (await First.TryGetAsync<List<NodeInfo>>("/api/v1/nodes"))?.Any(n => n.Name == NodeName) == true,
            TimeSpan.FromSeconds(30), "the agent to register its node");
    }

    public async Task DisposeAsync()
    {
        ProcessRunner.Stop(_agent);
        First.Dispose();
        Second.Dispose();
        _etcd.Stop();
        await Docker.RemoveClusterContainersAsync(RunId);
        _lock.Dispose();
    }

    public Task<CommandResult> Orc(ControlPlaneServer through, params string[] args) => OrcCli.RunAsync(Tls, through.ApiUrl, args);

    public string Manifest(string fileName, string yaml)
    {
        var path = Path.Combine(WorkDir, fileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    public Task<IReadOnlyList<ContainerInfo>> RunningContainersAsync(string service) =>
        Docker.ContainersAsync(RunId, service, runningOnly: true);
}
