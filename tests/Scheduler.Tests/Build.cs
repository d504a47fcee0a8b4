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

    public NodeBuilder NotReady() => With(_node with { State = NodeState.NotReady });

    public NodeBuilder Down() => With(_node with { State = NodeState.Down });

    public NodeBuilder Cordoned() => With(_node with { Cordoned = true });

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
    };

    public override string ToString() => $"{_namespace}/{service}.{_slot}@{_node}";
}

public sealed class RequestBuilder(string service) : ContainerBuilder<RequestBuilder>
{
    private string _namespace = ObjectKinds.DefaultNamespace;
    private int[] _slots = [1];
    private string _evaluation = "eval-1";

    public RequestBuilder Namespace(string ns) { _namespace = ns; return this; }

    public RequestBuilder Slots(params int[] slots) { _slots = slots; return this; }

    /// <summary>Slots 1..count.</summary>
    public RequestBuilder Count(int count) => Slots(Enumerable.Range(1, count).ToArray());

    public RequestBuilder Evaluation(string id) { _evaluation = id; return this; }

    public PlacementRequest Build() => new(_namespace, service, Container, _slots, _evaluation);

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
