using Microsoft.Extensions.Logging;
using Orchestrator.Bench.HollowNodes;
using Orchestrator.NodeAgent.ControlPlane;
using Orchestrator.NodeAgent.Loop;

// A SIMULATION of N nodes for benchmarks: each is the real agent (Agent: registration, heartbeats, assignment stream,
// reconcile, status reports) over a SimulatedContainerRuntime instead of a Docker engine.
var (settings, problems) = HollowNodeSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, problems.Select(p => "  " + p).Prepend("hollow nodes: invalid settings:").Append(HollowNodeSettings.Usage)));
    return 2;
}

using var logs = LoggerFactory.Create(b => b
    .AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss.fff "; })
    // One line per agent action, times N nodes, would be the whole cost of the run: warnings only.
    .SetMinimumLevel(LogLevel.Warning));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

// Each hollow node has its own connections and its own failover state, as separate machines would.
// Trusting only the cluster CA, as a real agent does (without --ca-file: the machine's trust store).
var trust = settings.CaFile is { } caFile ? Orchestrator.Tls.ClusterTrust.FromFile(caFile) : null;
SocketsHttpHandler NodeHandler()
{
    var handler = trust?.Handler() ?? new SocketsHttpHandler();
    handler.PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2);
    handler.ConnectTimeout = TimeSpan.FromSeconds(5);
    return handler;
}
var controlPlanes = settings.Api.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    .Select(u => new Uri(u.TrimEnd('/') + "/")).ToList();
var token = settings.TokenFile is { } tokenFile ? File.ReadAllText(tokenFile).Trim() : null;
var random = new Random(42);
var runtimes = new List<SimulatedContainerRuntime>();
var runs = new List<Task>();
var started = DateTimeOffset.UtcNow;
Console.WriteLine($"hollow nodes (a simulation): {settings.Nodes} x {settings.Prefix}-NNNN, cluster {settings.Cluster}, api {settings.Api}, starting over {settings.JitterSeconds:0.#} s");
var delays = Enumerable.Range(1, settings.Nodes).Select(i => (Index: i, Delay: TimeSpan.FromSeconds(random.NextDouble() * settings.JitterSeconds))).OrderBy(d => d.Delay);
foreach (var (index, delay) in delays)
{
    var wait = delay - (DateTimeOffset.UtcNow - started);
    if (wait > TimeSpan.Zero)
    {
        try { await Task.Delay(wait, stop.Token); } catch (OperationCanceledException) { break; }
    }
    var options = settings.AgentOptions(index);
    var runtime = new SimulatedContainerRuntime(settings.Cluster, options.NodeName);
    // Each node is given the control planes starting at a different one (node i at i mod n), as an operator spreads
    // agents over control planes (or a load balancer would): an agent uses the first it is given while it answers.
    var own = controlPlanes.Skip(index % controlPlanes.Count).Concat(controlPlanes.Take(index % controlPlanes.Count)).ToList();
    var addresses = new ControlPlaneAddresses(own, logs.CreateLogger<ControlPlaneAddresses>());
    var http = ControlPlaneClient.PreferHttp2(new HttpClient(new ControlPlaneFailover(addresses) { InnerHandler = NodeHandler() })
    {
        BaseAddress = own[0],
        Timeout = Timeout.InfiniteTimeSpan,
    });
    if (token is not null) http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    // A simulated container binds no host port, and the host's own ports are not a hollow node's.
    // Nothing serves a hollow node's agent API: the pin it registers (a real agent's is its certificate's SHA-256) is of
    // its name, well-formed and of no certificate, so no call from the control plane to it could ever be trusted.
    var pin = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.NodeName))).ToLowerInvariant();
    var agent = new Agent(options, runtime, http, TimeProvider.System, logs, portsInUse: (_, _) => [], certificateSha256: pin);
    runtimes.Add(runtime);
    runs.Add(Task.Run(() => agent.RunAsync(stop.Token)));
}
Console.WriteLine($"hollow nodes: all {runtimes.Count} started in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s");

while (!stop.IsCancellationRequested)
{
    try { await Task.Delay(TimeSpan.FromSeconds(10), stop.Token); } catch (OperationCanceledException) { break; }
    Console.WriteLine($"hollow nodes: {runtimes.Count} nodes, {runtimes.Sum(r => r.Running)} simulated containers running");
}
await Task.WhenAll(runs);
return 0;
