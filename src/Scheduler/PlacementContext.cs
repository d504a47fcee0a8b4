using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// One request against a <see cref="SchedulingState"/>: the request digested once (host ports, service key, the
/// affinity and spread terms resolved to per-domain counts) plus the service's replicas per node. Placing a slot
/// updates both it and the state, so the next slot of the batch sees the last one. Call <see cref="Release"/>
/// when done so that the pooled arrays go back (the placer does).
/// </summary>
public sealed class PlacementContext
{
    private static readonly PlacementSpec Anywhere = new();
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private readonly int[] _serviceCounts;
    // Arrays, not lists: the hot loop enumerates them, and an array's foreach allocates nothing.
    private readonly SpreadDomains[] _spread;
    private readonly AffinityDomains[] _requiredAffinity;
    private readonly AffinityDomains[] _preferredAffinity;
    private readonly AffinityDomains[] _requiredAntiAffinity;
    private readonly AffinityDomains[] _preferredAntiAffinity;
    private readonly AffinityDomains[] _terms;
    private LabelGroup? _ownGroup;

    private PlacementContext(SchedulingState state, PlacementRequest request)
    {
        State = state;
        Request = request;
        Placement = request.Placement ?? Anywhere;
        Labels = request.Labels ?? NoLabels;
        Service = new ServiceKey(request.Namespace, request.Service);
        EvaluationHash = TieBreak.HashEvaluation(request.EvaluationId);
        RequestedHostPorts = RequestedHostPortsOf(request.Container);

        var serviceNodes = state.ServiceNodes(Service);
        _serviceCounts = state.ServiceCountScratch;
        Array.Clear(_serviceCounts);
        foreach (var (node, count) in serviceNodes)
        {
            _serviceCounts[node] = count;
            if (count > MaxServiceReplicas) MaxServiceReplicas = count;
        }

        var eligible = Placement.TopologySpread.Count == 0 ? [] : EligibleNodes(state, Placement);
        _spread = Placement.TopologySpread.Select(c => SpreadDomains.Create(state, c, serviceNodes, eligible)).ToArray();
        _requiredAffinity = Resolve(Placement.Affinity.Required);
        _preferredAffinity = Resolve(Placement.Affinity.Preferred);
        _requiredAntiAffinity = Resolve(Placement.AntiAffinity.Required);
        _preferredAntiAffinity = Resolve(Placement.AntiAffinity.Preferred);
        _terms = [.. _requiredAffinity, .. _preferredAffinity, .. _requiredAntiAffinity, .. _preferredAntiAffinity];
    }

    public SchedulingState State { get; }

    public PlacementRequest Request { get; }

    public ContainerSpec Container => Request.Container;

    /// <summary>The request's placement, or the default (anywhere, spread) when it has none.</summary>
    public PlacementSpec Placement { get; }

    /// <summary>The requested service's labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    public ServiceKey Service { get; }

    public IReadOnlyList<RequestedHostPort> RequestedHostPorts { get; }

    /// <summary>Every node of the state, ordered by name.</summary>
    public IReadOnlyList<NodeCandidate> Nodes => State.Nodes;

    /// <summary>The most replicas of the requested service on any one node; scorers normalise spread against it.</summary>
    public int MaxServiceReplicas { get; private set; }

    internal SpreadDomains[] Spread => _spread;

    internal AffinityDomains[] RequiredAffinity => _requiredAffinity;

    internal AffinityDomains[] PreferredAffinity => _preferredAffinity;

    internal AffinityDomains[] RequiredAntiAffinity => _requiredAntiAffinity;

    internal AffinityDomains[] PreferredAntiAffinity => _preferredAntiAffinity;

    internal ulong EvaluationHash { get; }

    public NodeCandidate? Node(string name) => State.Node(name);

    /// <summary>Replicas of the requested service (same namespace and name) on the node.</summary>
    public int ServiceReplicasOn(NodeCandidate node) => _serviceCounts[node.Index];

    /// <summary>A fresh state from the snapshot and a context on it: for one-off calls and tests.</summary>
    public static PlacementContext Create(ClusterSnapshot snapshot, PlacementRequest request) => Create(SchedulingState.From(snapshot), request);

    public static PlacementContext Create(SchedulingState state, PlacementRequest request)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(request);
        return new PlacementContext(state, request);
    }

    /// <summary>Commits a placement to the state and to this request's counts, so later slots see it.</summary>
    internal void Assign(NodeCandidate node)
    {
        if (_ownGroup is null && Labels.Count > 0) _ownGroup = State.GroupOf(Request.Namespace, Labels);
        State.Count(node, Container, Service, _ownGroup, +1);
        if (++_serviceCounts[node.Index] > MaxServiceReplicas) MaxServiceReplicas = _serviceCounts[node.Index];
        foreach (var spread in _spread) spread.Commit(node);
        foreach (var term in _terms) term.Commit(node);
    }

    /// <summary>Returns the pooled per-domain arrays; the context must not be used afterwards.</summary>
    public void Release()
    {
        foreach (var spread in _spread) spread.Release();
        foreach (var term in _terms) term.Release();
    }

    private AffinityDomains[] Resolve(List<AffinityTerm> terms) =>
        terms.Select(t => AffinityDomains.Create(State, t, Request.Namespace, Labels)).ToArray();

    private static bool[] EligibleNodes(SchedulingState state, PlacementSpec placement)
    {
        var nodes = state.NodeArray;
        var eligible = state.EligibleScratch;
        // Most nodes are ready, untainted and the request selects nothing: answer those without walking the rules.
        var selects = placement.NodeSelector.Count > 0 || placement.Constraints.Count > 0;
        for (var i = 0; i < nodes.Length; i++)
            eligible[i] = nodes[i].IsReadyAndUncordoned && (!selects && !nodes[i].HasTaints || NodeEligibility.CanEverHost(placement, nodes[i].Info));
        return eligible;
    }

    private static RequestedHostPort[] RequestedHostPortsOf(ContainerSpec container)
    {
        var ports = new List<RequestedHostPort>();
        foreach (var spec in container.Ports)
            if (HostPort.TryFrom(spec, out var port)) ports.Add(new RequestedHostPort(port));
        return ports.ToArray();
    }
}
