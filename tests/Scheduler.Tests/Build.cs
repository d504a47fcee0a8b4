namespace Orchestrator.Scheduler.Tests;

/// <summary>Entry points of the fluent builders: <c>Cluster(Node("n1").Cpu("4")).With(Replica("web").On("n1"))</c>.</summary>
public static class Build
{
    public static NodeBuilder Node(string name) => new(name);

    public static ReplicaBuilder Replica(string service) => new(service);

    public static RequestBuilder Request(string service) => new(service);

    public static ClusterBuilder Cluster(params NodeBuilder[] nodes) => new(nodes);

    /// <summary>n identical nodes named n1..n{count}.</summary>
    public static NodeBuilder[] Nodes(int count, string cpu = "4", string memory = "8Gi") =>
        Enumerable.Range(1, count).Select(i => Node($"n{i}").Cpu(cpu).Memory(memory)).ToArray();
}

/// <summary>A machine that is ready, uncordoned, with 4 cpu and 8Gi unless told otherwise.</summary>
public sealed class NodeBuilder(string name)
{
    private NodeInfo _node = new()
    {
        Name = name,
        Capacity = new NodeCapacity { MilliCpu = 4000, MemoryBytes = 8L << 30 },
    };

    public NodeBuilder Cpu(string cpu) => With(_node with { Capacity = _node.Capacity with { MilliCpu = Units.ParseCpuMillis(cpu) } });

    public NodeBuilder Memory(string memory) => With(_node with { Capacity = _node.Capacity with { MemoryBytes = Units.ParseMemoryBytes(memory) } });

    public NodeBuilder Label(string key, string value) =>
        With(_node with { Labels = new Dictionary<string, string>(_node.Labels) { [key] = value } });

    public NodeBuilder Zone(string zone) => Label("zone", zone);

    /// <summary>A taint as the agent flag writes it: key, value (may be empty) and NoSchedule, PreferNoSchedule or NoExecute.</summary>
    public NodeBuilder Taint(string key, string value, string effect) =>
        With(_node with { Taints = [.. _node.Taints, new Taint { Key = key, Value = value, Effect = Enum.Parse<TaintEffect>(effect) }] });

    public NodeBuilder NotReady() => With(_node with { State = NodeState.NotReady });

    public NodeBuilder Down() => With(_node with { State = NodeState.Down });

    public NodeBuilder Cordoned() => With(_node with { Cordoned = true });

    /// <summary>A port the node's agent reported as held by a program outside the cluster.</summary>
    public NodeBuilder PortHeldByOtherProgram(int port, string protocol = "tcp") =>
        With(_node with { PortsInUse = [.. _node.PortsInUse, new ListeningPort { Port = port, Protocol = protocol }] });

    public NodeInfo Build() => _node;

    public static implicit operator NodeInfo(NodeBuilder builder) => builder.Build();

    public override string ToString() => _node.Name;

    private NodeBuilder With(NodeInfo node)
    {
        _node = node;
        return this;
    }
}

/// <summary>What replicas and requests share: the container's resources and ports. Defaults to asking for nothing.</summary>
public abstract class ContainerBuilder<TSelf> where TSelf : ContainerBuilder<TSelf>
{
    protected ContainerSpec Container { get; private set; } = new() { Image = "nginx:1.27" };

    public TSelf Cpu(string cpu) => With(Container with { MilliCpu = Units.ParseCpuMillis(cpu) });

    public TSelf Memory(string memory) => With(Container with { MemoryBytes = Units.ParseMemoryBytes(memory) });

    public TSelf HostPort(int port, string protocol = "tcp") =>
        With(Container with { Ports = [.. Container.Ports, new PortSpec { ContainerPort = port, HostPort = port, Protocol = protocol }] });

    /// <summary>A published port the engine picks on the node; never collides.</summary>
    public TSelf DynamicPort(int containerPort) =>
        With(Container with { Ports = [.. Container.Ports, new PortSpec { ContainerPort = containerPort }] });

    private TSelf With(ContainerSpec container)
    {
        Container = container;
        return (TSelf)this;
    }
}

public sealed class ReplicaBuilder(string service) : ContainerBuilder<ReplicaBuilder>
{
    private string _namespace = ObjectKinds.DefaultNamespace;
    private string _node = "n1";
    private int _slot = 1;
    private readonly Dictionary<string, string> _labels = new();

    /// <summary>A label of the replica's service, which affinity terms match.</summary>
    public ReplicaBuilder Label(string key, string value) { _labels[key] = value; return this; }

    public ReplicaBuilder Namespace(string ns) { _namespace = ns; return this; }

    public ReplicaBuilder On(string node) { _node = node; return this; }

    public ReplicaBuilder Slot(int slot) { _slot = slot; return this; }

    public Replica Build() => new()
    {
        Id = $"{service}-{_slot}-{_node}",
        Namespace = _namespace,
        Service = service,
        Slot = _slot,
        Node = _node,
        Container = Container,
        Labels = new Dictionary<string, string>(_labels),
    };

    public override string ToString() => $"{_namespace}/{service}.{_slot}@{_node}";
}

public sealed class RequestBuilder(string service) : ContainerBuilder<RequestBuilder>
{
    private string _namespace = ObjectKinds.DefaultNamespace;
    private int[] _slots = [1];
    private string _evaluation = "eval-1";
    private PlacementSpec? _placement;
    private readonly Dictionary<string, string> _labels = new();

    public RequestBuilder Namespace(string ns) { _namespace = ns; return this; }

    public RequestBuilder Slots(params int[] slots) { _slots = slots; return this; }

    /// <summary>Slots 1..count.</summary>
    public RequestBuilder Count(int count) => Slots(Enumerable.Range(1, count).ToArray());

    public RequestBuilder Evaluation(string id) { _evaluation = id; return this; }

    /// <summary>A label of the requested service: its replicas carry it, and its own affinity terms may match it.</summary>
    public RequestBuilder Label(string key, string value) { _labels[key] = value; return this; }

    public RequestBuilder Binpack() => With(p => p with { Strategy = PlacementStrategy.Binpack });

    public RequestBuilder NodeSelector(string key, string value) =>
        With(p => p with { NodeSelector = new Dictionary<string, string>(p.NodeSelector) { [key] = value } });

    /// <summary>An expression like ("zone", "In", "a", "b").</summary>
    public RequestBuilder Constraint(string key, string op, params string[] values) =>
        With(p => p with { Constraints = [.. p.Constraints, new NodeConstraint { Key = key, Operator = Enum.Parse<ConstraintOperator>(op), Values = [.. values] }] });

    /// <summary>Equal toleration; effect null tolerates every effect.</summary>
    public RequestBuilder Tolerate(string key, string value, string? effect = null) =>
        With(p => p with { Tolerations = [.. p.Tolerations, new Toleration { Key = key, Value = value, Effect = EffectOf(effect) }] });

    /// <summary>Exists toleration; an empty key tolerates every taint.</summary>
    public RequestBuilder TolerateExists(string key, string? effect = null) =>
        With(p => p with { Tolerations = [.. p.Tolerations, new Toleration { Key = key, Operator = TolerationOperator.Exists, Effect = EffectOf(effect) }] });

    public RequestBuilder MaxPerNode(int max) => With(p => p with { MaxPerNode = max });

    /// <summary>Required affinity to replicas labelled key=value, per domain of topologyKey.</summary>
    public RequestBuilder Affinity(string key, string value, string topologyKey) =>
        With(p => p with { Affinity = p.Affinity with { Required = [.. p.Affinity.Required, Term(0, key, value, topologyKey)] } });

    public RequestBuilder PreferAffinity(int weight, string key, string value, string topologyKey) =>
        With(p => p with { Affinity = p.Affinity with { Preferred = [.. p.Affinity.Preferred, Term(weight, key, value, topologyKey)] } });

    public RequestBuilder AntiAffinity(string key, string value, string topologyKey) =>
        With(p => p with { AntiAffinity = p.AntiAffinity with { Required = [.. p.AntiAffinity.Required, Term(0, key, value, topologyKey)] } });

    public RequestBuilder PreferAntiAffinity(int weight, string key, string value, string topologyKey) =>
        With(p => p with { AntiAffinity = p.AntiAffinity with { Preferred = [.. p.AntiAffinity.Preferred, Term(weight, key, value, topologyKey)] } });

    public RequestBuilder Spread(string topologyKey, int maxSkew = 1) =>
        With(p => p with { TopologySpread = [.. p.TopologySpread, new TopologySpreadConstraint { TopologyKey = topologyKey, MaxSkew = maxSkew }] });

    /// <summary>The slot's persistent volume is on <paramref name="node"/> (a volume record).</summary>
    public RequestBuilder VolumeOn(int slot, string node) { _volumeNodes[slot] = node; return this; }

    private readonly Dictionary<int, string> _volumeNodes = new();

    public PlacementRequest Build() => new(_namespace, service, Container, _slots, _evaluation, _placement, _labels, _volumeNodes.Count > 0 ? _volumeNodes : null);

    private RequestBuilder With(Func<PlacementSpec, PlacementSpec> change)
    {
        _placement = change(_placement ?? new PlacementSpec());
        return this;
    }

    private static AffinityTerm Term(int weight, string key, string value, string topologyKey) =>
        new() { Weight = weight, LabelSelector = new() { [key] = value }, TopologyKey = topologyKey };

    private static TaintEffect? EffectOf(string? effect) => effect is null ? null : Enum.Parse<TaintEffect>(effect);

    public static implicit operator PlacementRequest(RequestBuilder builder) => builder.Build();

    public override string ToString() => $"{_namespace}/{service} x{_slots.Length}";
}

public sealed class ClusterBuilder(NodeBuilder[] nodes)
{
    private readonly List<ReplicaBuilder> _replicas = new();

    public ClusterBuilder With(params ReplicaBuilder[] replicas) { _replicas.AddRange(replicas); return this; }

    public ClusterSnapshot Build() => new(nodes.Select(n => n.Build()).ToList(), _replicas.Select(r => r.Build()).ToList());

    public static implicit operator ClusterSnapshot(ClusterBuilder builder) => builder.Build();

    public override string ToString() => string.Join(",", nodes.Select(n => n.ToString())) + (_replicas.Count == 0 ? "" : " with " + string.Join(",", _replicas));
}
