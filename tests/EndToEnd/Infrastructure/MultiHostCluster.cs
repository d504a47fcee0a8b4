using Orchestrator.Contracts;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// A cluster of several hosts on this machine (scripts/testbed.sh): one control plane and etcd on the machine itself,
/// the control plane's API on the bridge address 10.231.0.1, and one node agent per host inside that host's network
/// namespace, driving that host's own dockerd. Hosts can be killed, partitioned, healed and brought back.
/// Everything is stopped and the testbed torn down on dispose, also when a test fails or the test process exits.
/// Three hosts by default; a test wanting others derives a fixture (xunit wants one public constructor):
/// <c>class FiveHosts() : MultiHostCluster(5, h => "zone=" + h.Name)</c>. Several control planes over an etcd of several
/// members: <c>MultiHostCluster(3, controlPlanes: 3, etcdMembers: 3)</c>; agents and `orc` then get every control
/// plane's URL (<see cref="Servers"/>), the first one first.
/// </summary>
public class MultiHostCluster : IAsyncLifetime
{
    private readonly Func<TestHost, string> _labels;
    private readonly IReadOnlyList<string> _agentFlags;
    private readonly int _agentsAtStart;
    private readonly HashSet<string> _down = [];
    private readonly EtcdServer _etcd;
    private readonly List<ControlPlaneServer> _controlPlanes;
    private readonly HashSet<ControlPlaneServer> _killed = [];
    private readonly Testbed _testbed;
    private int _cleanedUp;

    public MultiHostCluster() : this(3) { }

    /// <param name="labels">a host's node labels; by default zone=a for odd hosts (h1, h3) and zone=b for even ones</param>
    /// <param name="agentsAtStart">how many hosts (the first ones) run an agent from the start; the others join later
    /// through <see cref="JoinAsync"/>, as machines added to a running cluster</param>
    /// <param name="agentFlags">more flags for every agent, like --network-mode host-gw</param>
    protected MultiHostCluster(int hostCount, Func<TestHost, string>? labels = null, int? agentsAtStart = null,
        int controlPlanes = 1, int etcdMembers = 1, IReadOnlyList<string>? agentFlags = null)
    {
        _agentFlags = agentFlags ?? [];
        _agentsAtStart = agentsAtStart ?? hostCount;
        WorkDir = Path.Combine(Path.GetTempPath(), "orchestrator-" + RunId);
        Directory.CreateDirectory(WorkDir);
        _testbed = new Testbed(Path.Combine(WorkDir, "testbed"));
        Hosts = Enumerable.Range(1, hostCount).Select(i => TestHost.Numbered(i, _testbed.Dir)).ToList();
        _labels = labels ?? (h => h.Index % 2 == 1 ? "zone=a" : "zone=b");
        _etcd = new EtcdServer(RunId, WorkDir, etcdMembers);
        Tls = new ClusterTls(WorkDir);
        _controlPlanes = [.. Enumerable.Range(1, controlPlanes).Select(i => new ControlPlaneServer($"https://{Testbed.Gateway}:{Ports.Free()}",
            _etcd.Url, RunId, Path.Combine(WorkDir, controlPlanes == 1 ? "controlplane.log" : $"controlplane-{i}.log"), Tls))];
    }

    /// <summary>The agents' cluster label: unique per run, so no container of another run is ever touched.</summary>
    public string RunId { get; } = "e2e-mh-" + Guid.NewGuid().ToString("N")[..8];
    public string WorkDir { get; }
    /// <summary>The first control plane's API (the one agents talk to first).</summary>
    public string ApiUrl => _controlPlanes[0].ApiUrl;
    /// <summary>Every control plane's API, comma separated: what agents (`--api`) and `orc` (ORC_SERVER) are given.</summary>
    public string Servers => string.Join(",", _controlPlanes.Select(c => c.ApiUrl));
    public IReadOnlyList<ControlPlaneServer> ControlPlanes => _controlPlanes;
    /// <summary>The control planes not killed by <see cref="KillControlPlane"/>.</summary>
    public IReadOnlyList<ControlPlaneServer> LiveControlPlanes => [.. _controlPlanes.Where(c => !_killed.Contains(c))];
    public string EtcdUrl => _etcd.Url;
    /// <summary>The run's cluster CA, shared by every control plane (--ca-cert/--ca-key) and trusted by agents and `orc`.</summary>
    public ClusterTls Tls { get; }
    public IReadOnlyList<TestHost> Hosts { get; }
    public HttpClient Http => _controlPlanes[0].Http;

    public TestHost Host(string name) => Hosts.Single(h => h.Name == name);

    public async Task InitializeAsync()
    {
        // A crashed or cancelled run must not leave namespaces, dockerds and the bridge behind.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        try
        {
            await _testbed.UpAsync(Hosts.Count);
            await _etcd.StartAsync();
            // One after the other: the first forms the Orleans cluster, the others join it.
            foreach (var controlPlane in _controlPlanes) await controlPlane.StartAsync();
            var first = Hosts.Take(_agentsAtStart).ToList();
            await Task.WhenAll(first.Select(h => StartAgentOnlyAsync(h)));
            await WaitForNodesAsync(first, TimeSpan.FromSeconds(30));
        }
        catch
        {
            // a fixture that failed to start may never be disposed: tear down what did start
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (Interlocked.Exchange(ref _cleanedUp, 1) == 1) return;
        foreach (var controlPlane in _controlPlanes) controlPlane.Dispose();
        _etcd.Stop();
        await _testbed.DownAsync();
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _cleanedUp, 1) == 1) return;
        foreach (var controlPlane in _controlPlanes) controlPlane.Dispose();
        _etcd.Stop();
        _testbed.DownNow();
    }

    /// <summary>etcdctl against this cluster's etcd (e.g. the raw key space: get "" --from-key).</summary>
    public Task<CommandResult> Etcdctl(params string[] args) => _etcd.Etcdctl(args);

    /// <summary>Runs the real `orc` CLI against this cluster.</summary>
    public Task<CommandResult> Orc(params string[] args) => OrcCli.RunAsync(Tls, Servers, args);

    /// <summary>Writes a manifest into the run's folder and returns its path.</summary>
    public string Manifest(string fileName, string yaml)
    {
        var path = Path.Combine(WorkDir, fileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>GET from the first control plane that was not killed (with all of them down: default, as from a dead one).</summary>
    public Task<T?> TryGetAsync<T>(string path) => (LiveControlPlanes.FirstOrDefault() ?? _controlPlanes[0]).TryGetAsync<T>(path);

    /// <summary>One service's containers of this cluster on one host, as that host's own engine sees them.</summary>
    public Task<IReadOnlyList<ContainerInfo>> ContainersOnHostAsync(TestHost host, string ns, string service, bool runningOnly = true) =>
        host.Docker.ContainersAsync(RunId, $"{ns}/{service}", runningOnly);

    /// <summary>Running containers of one service summed over the hosts that are up (a killed host's engine is gone).</summary>
    public async Task<int> CountRunningAsync(string ns, string service) => (await RunningPerHostAsync(ns, service)).Values.Sum();

    /// <summary>Running containers per host name, for asserting a spread.</summary>
    public async Task<IReadOnlyDictionary<string, int>> RunningPerHostAsync(string ns, string service)
    {
        var up = Hosts.Where(h => !_down.Contains(h.Name)).ToList();
        var counts = await Task.WhenAll(up.Select(async h => (await ContainersOnHostAsync(h, ns, service)).Count));
        return up.Select((h, i) => (h.Name, counts[i])).ToDictionary(p => p.Name, p => p.Item2);
    }

    /// <summary>The machine behind the host dies: agent, dockerd and its containers are SIGKILLed.</summary>
    public async Task KillHostAsync(TestHost host)
    {
        _down.Add(host.Name);
        await _testbed.KillHostAsync(host);
    }

    /// <summary>The host's link to the bridge goes down: it runs on, but neither reaches nor is reached.</summary>
    public Task PartitionAsync(TestHost host) => _testbed.PartitionAsync(host);

    public Task HealAsync(TestHost host) => _testbed.HealAsync(host);

    /// <summary>Brings a host back after <see cref="KillHostAsync"/>: its dockerd, then its agent, until its node registers.</summary>
    public async Task StartAgentAsync(TestHost host)
    {
        await _testbed.StartHostAsync(host);
        _down.Remove(host.Name);
        await StartAgentOnlyAsync(host);
        await WaitForNodesAsync([host], TimeSpan.FromSeconds(30));
    }

    /// <summary>A host whose engine runs but whose agent did not start yet joins the cluster: its node registers.</summary>
    public async Task JoinAsync(TestHost host)
    {
        await StartAgentOnlyAsync(host);
        await WaitForNodesAsync([host], TimeSpan.FromSeconds(30));
    }

    public Task StopAgentAsync(TestHost host) => _testbed.StopAgentAsync(host);

    /// <summary>The host's agent stopped and started again with <paramref name="moreFlags"/> after the cluster's own (the last of a flag wins), until its node registers.</summary>
    public async Task RestartAgentAsync(TestHost host, params string[] moreFlags)
    {
        await _testbed.StopAgentAsync(host);
        await StartAgentOnlyAsync(host, moreFlags);
        await WaitForNodesAsync([host], TimeSpan.FromSeconds(30));
    }

    /// <summary>The host's dockerd is restarted under its running agent (an engine upgrade, a crash and restart).</summary>
    public Task RestartEngineAsync(TestHost host) => _testbed.RestartEngineAsync(host);

    /// <summary>SIGKILL, as a crash would: no graceful shutdown to hide behind.</summary>
    public void KillControlPlane(int index = 0)
    {
        _killed.Add(_controlPlanes[index]);
        _controlPlanes[index].Kill();
    }

    public async Task StartControlPlaneAsync(int index = 0)
    {
        await _controlPlanes[index].StartAsync();
        _killed.Remove(_controlPlanes[index]);
    }

    // A short stop timeout: tests remove many containers and need not wait 10 s for each.
    private async Task StartAgentOnlyAsync(TestHost host, params string[] moreFlags) =>
        await _testbed.StartAgentAsync(host, Servers, RunId, _labels(host),
            ["--stop-timeout", "00:00:01", .. Tls.AgentArgs, .. _agentFlags, .. moreFlags, .. await Credentials.JoinArgsAsync(ApiUrl)]);

    private Task WaitForNodesAsync(IEnumerable<TestHost> hosts, TimeSpan timeout)
    {
        var names = hosts.Select(h => h.Name).ToList();
        return Wait.UntilAsync(async () =>
        {
            var nodes = await TryGetAsync<List<NodeInfo>>("/api/v1/nodes");
            return nodes is not null && names.All(n => nodes.Any(node => node.Name == n && node.State == NodeState.Ready));
        }, timeout, $"nodes {string.Join(", ", names)} to register Ready (agent logs in {_testbed.Dir}/h*/agent.log)");
    }
}
