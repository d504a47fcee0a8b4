using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// Everything one <see cref="Placer.Place"/> call works on: the request, digested once (its host ports), and the
/// working state of every node. Placing a slot updates it, so the next slot of the batch sees the last one.
/// </summary>
public sealed class PlacementContext
{
    private readonly NodeCandidate[] _nodes;
    private readonly Dictionary<string, NodeCandidate> _byName;

    private PlacementContext(PlacementRequest request, NodeCandidate[] nodes, Dictionary<string, NodeCandidate> byName)
    {
        Request = request;
        _nodes = nodes;
        _byName = byName;
        RequestedHostPorts = RequestedHostPortsOf(request.Container);
    }

    public PlacementRequest Request { get; }

    public ContainerSpec Container => Request.Container;

    public IReadOnlyList<RequestedHostPort> RequestedHostPorts { get; }

    /// <summary>Every node of the snapshot, in snapshot order (the first one wins if a name repeats).</summary>
    public IReadOnlyList<NodeCandidate> Nodes => _nodes;

    /// <summary>The same nodes as an array, for the placer's loop: enumerating it allocates nothing.</summary>
    internal NodeCandidate[] NodeArray => _nodes;

    /// <summary>The most replicas of the requested service on any one node; scorers normalise spread against it.</summary>
    public int MaxServiceReplicas { get; private set; }

    public NodeCandidate? Node(string name) => _byName.GetValueOrDefault(name);

    public static PlacementContext Create(ClusterSnapshot snapshot, PlacementRequest request)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(request);

        var byName = new Dictionary<string, NodeCandidate>(snapshot.Nodes.Count, StringComparer.Ordinal);
        var nodes = new List<NodeCandidate>(snapshot.Nodes.Count);
        foreach (var info in snapshot.Nodes)
        {
            var candidate = new NodeCandidate(info, TieBreak.For(request.EvaluationId, info.Name));
            if (byName.TryAdd(info.Name, candidate)) nodes.Add(candidate);
        }

        var ctx = new PlacementContext(request, nodes.ToArray(), byName);
        foreach (var replica in snapshot.Replicas)
        {
            if (!byName.TryGetValue(replica.Node, out var node)) continue;
            ctx.Add(node, replica.Container, replica.Namespace == request.Namespace && replica.Service == request.Service);
        }
        return ctx;
    }

    /// <summary>Records a placement made by this call, so later slots see the node's new allocation.</summary>
    internal void Assign(NodeCandidate node) => Add(node, Container, sameService: true);

    private void Add(NodeCandidate node, ContainerSpec container, bool sameService)
    {
        node.Add(container, sameService);
        if (node.ServiceReplicas > MaxServiceReplicas) MaxServiceReplicas = node.ServiceReplicas;
    }

    private static RequestedHostPort[] RequestedHostPortsOf(ContainerSpec container)
    {
        var ports = new List<RequestedHostPort>();
        foreach (var spec in container.Ports)
            if (HostPort.TryFrom(spec, out var port)) ports.Add(new RequestedHostPort(port));
        return ports.ToArray();
    }
}
