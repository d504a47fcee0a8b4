using System.Diagnostics;
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
    public HttpClient Http => _controlPlane.Http;
    public ControlPlaneServer ControlPlane => _controlPlane;
    /// <summary>The agent's own HTTP address (/healthz, /metrics).</summary>
    public string AgentUrl => $"https://127.0.0.1:{_agentPort}";
    public ClusterTls Tls { get; }
    /// <summary>For the agent's /healthz and /metrics (its certificate pinned as the control plane pins it) and the API.</summary>
    public HttpClient AgentHttp => _agentHttp ??= Tls.ApiAndAgentClient(Http);
    private HttpClient? _agentHttp;

    private readonly int _agentPort = Ports.Free();
    private readonly EtcdServer _etcd;
    private readonly ControlPlaneServer _controlPlane;
    private Process? _agent;
    private string[] _agentCredentials = [];
    private readonly RunLock _lock;

    public TestCluster()
    {
        _lock = RunLock.Take(RunId);
        WorkDir = Path.Combine(Path.GetTempPath(), "orchestrator-" + RunId);
        Directory.CreateDirectory(WorkDir);
        _etcd = new EtcdServer(RunId, WorkDir);
        EtcdUrl = _etcd.Url;
        ApiUrl = $"https://127.0.0.1:{Ports.Free()}";
        Tls = new ClusterTls(WorkDir);
        _controlPlane = new ControlPlaneServer(ApiUrl, EtcdUrl, RunId, Path.Combine(WorkDir, "controlplane.log"), Tls);
    }

    public async Task InitializeAsync()
    {
        await Docker.RequireEngineAsync();
        await Docker.RemoveStaleTestContainersAsync();
        await _etcd.StartAsync();
        await StartControlPlaneAsync();
        _agentCredentials = await Credentials.AgentArgsAsync(ApiUrl, Path.Combine(WorkDir, "agent-state"));
        StartAgent();
        try
        {
            await Wait.UntilAsync(async () =>
            {
                var nodes = await TryGetAsync<List<NodeInfo>>("/api/v1/nodes");
                return nodes?.Any(n => n.Name == NodeName) == true;
            }, TimeSpan.FromSeconds(30), "the agent to register its node");
        }
        catch (TimeoutException e)
        {
            // Say why: a fixture that fails here fails every test of its class, and CI keeps no logs.
            throw new TimeoutException($"{e.Message}; the agent's log ends with:\n{Tail(AgentLog)}\nthe control plane's with:\n{Tail(ControlPlaneLog)}", e);
        }
    }

    private static string Tail(string file, int lines = 25) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(lines)) : "(no log)";

    public async Task DisposeAsync()
    {
        ProcessRunner.Stop(_agent);
        _controlPlane.Dispose();
        _etcd.Stop();
        await Docker.RemoveClusterContainersAsync(RunId);
        _lock.Dispose();
    }

    public Task StartControlPlaneAsync() => _controlPlane.StartAsync();

    /// <summary>SIGTERM, a normal stop; it must exit on its own.</summary>
    public Task TerminateControlPlaneAsync() => _controlPlane.TerminateAsync();

    /// <summary>SIGTERM the agent and wait for it to exit; <see cref="StartAgent"/> starts a new one (a new session).</summary>
    public async Task StopAgentAsync()
    {
        if (!await ProcessRunner.TerminateAsync(_agent, TimeSpan.FromSeconds(30)))
            throw new TimeoutException("the agent did not exit within 30 s of SIGTERM");
    }

    public Task StopEtcdAsync() => _etcd.PauseAsync();
    public Task StartEtcdAsync() => _etcd.StartAsync();
    public string AgentLog => Path.Combine(WorkDir, "agent.log");
    public string ControlPlaneLog => Path.Combine(WorkDir, "controlplane.log");

    /// <summary>The control plane's resident memory (VmRSS of /proc/PID/status), in bytes.</summary>
    public long ControlPlaneResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_controlPlane.ProcessId}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>SIGKILL, as a crash would: no graceful shutdown to hide behind.</summary>
    public void KillControlPlane() => _controlPlane.Kill();

    public void StartAgent() =>
        _agent = ProcessRunner.StartDaemon("dotnet",
        [
            Repo.Program("NodeAgent", "Orchestrator.NodeAgent.dll"),
            "--api", ApiUrl, "--node-name", NodeName, "--cluster", RunId,
            "--listen", AgentUrl, "--labels", "zone=a", .. Tls.AgentArgs, .. _agentCredentials,
        ], Path.Combine(WorkDir, "agent.log"));

    /// <summary>Runs the real `orc` CLI against this cluster.</summary>
    public Task<CommandResult> Orc(params string[] args) => OrcCli.RunAsync(Tls, ApiUrl, args);

    /// <summary>Runs the real `orc` for a while, then kills it: for commands that follow until interrupted.</summary>
    public Task<CommandResult> OrcFor(TimeSpan duration, params string[] args) => OrcCli.RunForAsync(Tls, ApiUrl, duration, args);

    /// <summary>`orc` with <paramref name="stdin"/> piped in, as `... | orc apply -f -`.</summary>
    public Task<CommandResult> OrcWithInput(string stdin, params string[] args) => OrcCli.RunAsync(Tls, ApiUrl, args, stdin);

    public Task<CommandResult> Etcdctl(params string[] args) => _etcd.Etcdctl(args);

    /// <summary>Writes a manifest into the run's folder and returns its path.</summary>
    public string Manifest(string fileName, string yaml)
    {
        var path = Path.Combine(WorkDir, fileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    public Task<T?> TryGetAsync<T>(string path) => _controlPlane.TryGetAsync<T>(path);

    /// <summary>The running containers of one service in this cluster, as the engine sees them.</summary>
    public Task<IReadOnlyList<ContainerInfo>> RunningContainersAsync(string service) =>
        Docker.ContainersAsync(RunId, service, runningOnly: true);
}
