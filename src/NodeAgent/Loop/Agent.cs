using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.ControlPlane;
using Orchestrator.NodeAgent.Health;
using Orchestrator.NodeAgent.Network;
using Orchestrator.NodeAgent.Options;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Loop;

/// <summary>
/// One agent, wired in one place. Five loops share an <see cref="AssignmentSet"/> and a <see cref="ReconcileTrigger"/>:
/// the node link (register, heartbeat), the assignment watch, the engine event watch, the reconcile loop and the
/// periodic status report. They are independent so that an unreachable control plane stops none of the others.
/// </summary>
public sealed class Agent
{
    private readonly NodeLink _link;
    private readonly AssignmentWatch _watch;
    private readonly EngineEventWatch _events;
    private readonly ReconcileLoop _reconcile;
    private readonly StatusReporter _status;
    private readonly TimeSpan _statusInterval;

    private readonly NetworkLoop? _network;

    /// <param name="network">The cluster network's bridge and the replicas' network, for --network-mode host-gw or vxlan; null for none.</param>
    /// <param name="portsInUse">
    /// The host ports other programs hold, given this agent's containers and assignments; default: read from /proc/net
    /// (<see cref="HostPortsInUse"/>). Only a simulated node (bench/HollowNodes), whose containers hold no port, passes another.
    /// </param>
    /// <param name="certificateSha256">SHA-256 of the certificate the agent's API serves, registered so that the control plane pins it</param>
    public Agent(NodeAgentOptions options, IContainerRuntime runtime, HttpClient controlPlane, TimeProvider time, ILoggerFactory logs,
        (IClusterBridge Bridge, ReplicaNetwork Replicas)? network = null,
        Func<IEnumerable<ObservedContainer>, IEnumerable<Replica>, List<ListeningPort>>? portsInUse = null,
        string certificateSha256 = "")
    {
        portsInUse ??= (observed, assigned) => HostPortsInUse.Read(HostPortsInUse.Ours(observed, assigned));
        Session = AgentSession.New();
        var client = new ControlPlaneClient(controlPlane, options.NodeName);
        var registration = new NodeRegistration
        {
            Labels = NodeResources.ParseLabels(options.Labels),
            Taints = NodeTaints.Parse(options.Taints),
            Capacity = NodeResources.Capacity(options),
            Address = options.Address,
            AgentUrl = NodeResources.AgentUrl(options),
            AgentCertificateSha256 = certificateSha256,
            AgentVersion = Session.Version,
            AgentSession = Session.Id,
        };
        var trigger = new ReconcileTrigger();
        var dataFiles = new ReplicaDataFiles(client, options.SecretsFolder(), logs.CreateLogger<ReplicaDataFiles>());
        var executor = new ActionExecutor(runtime, options.NodeName, options.StopTimeout, time, logs.CreateLogger<ActionExecutor>(), dataFiles)
        {
            EndpointDrain = network is null ? TimeSpan.Zero : options.EndpointDrain,
        };
        var probes = new ProbeSupervisor(new ProbeCheck(runtime, ProbeCheck.CreateHttpClient(), time), runtime, executor, options.StopTimeout,
            time, logs.CreateLogger<ProbeSupervisor>());
        _status = new StatusReporter(client, runtime, Assignments, executor, probes, Session, options.NodeName, time, logs.CreateLogger<StatusReporter>());
        // Read at each heartbeat; what this cluster's containers publish is left out (the scheduler counts those itself).
        _link = new NodeLink(client, registration, Assignments, options.HeartbeatInterval, time, logs.CreateLogger<NodeLink>(),
            () => portsInUse(_reconcile!.Observed, Assignments.Snapshot()));
        _watch = new AssignmentWatch(client, Assignments, time, logs.CreateLogger<AssignmentWatch>());
        _events = new EngineEventWatch(runtime, trigger, time, logs.CreateLogger<EngineEventWatch>());
        _reconcile = new ReconcileLoop(runtime, Assignments, executor, probes, _status, trigger, options.ResyncInterval, time, logs.CreateLogger<ReconcileLoop>());
        _statusInterval = options.StatusInterval;
        if (network is { } n)
            _network = new NetworkLoop(client, new ClusterNetwork(n.Bridge, n.Replicas, new ServiceDns(logs.CreateLogger<ServiceDns>()), logs.CreateLogger<ClusterNetwork>()), options.Cluster,
                options.NodeName, options.NetworkMode, options.NetworkInterval, time, logs.CreateLogger<NetworkLoop>());
    }

    public AgentSession Session { get; }
    public AssignmentSet Assignments { get; } = new();
    public long ReconcilePasses => _reconcile.Passes;
    public IReadOnlyList<ObservedContainer> Observed => _reconcile.Observed;
    public NodeStatusReport? LastStatus => _status.Last;
    /// <summary>When the cluster network was last brought in line; null without one, or before the first time.</summary>
    public DateTimeOffset? NetworkLastSync => _network?.LastSync;

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(
        _link.RunAsync(ct),
        _watch.RunAsync(ct),
        _events.RunAsync(ct),
        _reconcile.RunAsync(ct),
        _status.RunAsync(_statusInterval, ct),
        _network?.RunAsync(ct) ?? Task.CompletedTask);
}
