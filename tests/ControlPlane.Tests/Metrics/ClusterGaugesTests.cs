using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;

namespace Orchestrator.ControlPlane.Tests.Metrics;

/// <summary>The snapshot to gauge values: replica counts per service, nodes by state, resources per node.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterGaugesTests
{
    private static ServiceObject Svc(string name, int replicas, string ns = "default", string cpu = "250m", string memory = "64Mi") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ServiceSpec { Image = "local/web:1", Replicas = replicas, Resources = new ResourceSpec { Cpu = cpu, Memory = memory } },
    };

    private static Replica R(ServiceObject s, int slot, string node = "n1") => new()
    {
        Id = $"{s.Metadata.Name}-{slot}-{node}", Namespace = s.Metadata.Namespace, Service = s.Metadata.Name, Slot = slot, Node = node,
        Container = ContainerSpec.From(s.Spec),
    };

    private static ReplicaStatus Status(Replica r, ReplicaState state, bool ready = false) => new()
    {
        ReplicaId = r.Id, Namespace = r.Namespace, Service = r.Service, Node = r.Node, State = state, Ready = ready,
        ContainerId = state == ReplicaState.Running ? "c-" + r.Id : null,
    };

    private static NodeInfo Node(string name, NodeState state = NodeState.Ready, bool cordoned = false, long milliCpu = 4000, long memory = 8L << 30) => new()
    {
        Name = name, State = state, Cordoned = cordoned, Capacity = new NodeCapacity { MilliCpu = milliCpu, MemoryBytes = memory },
        LastHeartbeat = DateTimeOffset.UnixEpoch.AddSeconds(100),
    };

    private static readonly ServiceObject Web = Svc("web", 3);
    private static readonly Replica[] WebReplicas = [R(Web, 1), R(Web, 2), R(Web, 3, "n2")];

    public static TheoryData<string, ReplicaStatus[], (int Desired, int Running, int Ready, int Pending)> ReplicaCases => new()
    {
        { "no status reported yet", [], (3, 0, 0, 0) },
        { "all running, one not ready", [Status(WebReplicas[0], ReplicaState.Running, true), Status(WebReplicas[1], ReplicaState.Running, true),
            Status(WebReplicas[2], ReplicaState.Running)], (3, 3, 2, 0) },
        { "one exited, one in back-off", [Status(WebReplicas[0], ReplicaState.Running, true), Status(WebReplicas[1], ReplicaState.Exited),
            Status(WebReplicas[2], ReplicaState.CrashLoopBackOff)], (3, 1, 1, 0) },
        { "a status of a replica no longer assigned does not count", [Status(R(Web, 9, "gone"), ReplicaState.Running, true)], (3, 0, 0, 0) },
    };

    [Theory]
    [MemberData(nameof(ReplicaCases))]
    public void Replica_counts_per_service(string name, ReplicaStatus[] statuses, (int Desired, int Running, int Ready, int Pending) expected)
    {
        var gauges = ClusterGauges.From([Web], WebReplicas, statuses, [Node("n1"), Node("n2")]);

        var web = Assert.Single(gauges.Services);
        Assert.True(expected == (web.Desired, web.Running, web.Ready, web.Pending), $"{name}: got {web}");
    }

    [Fact]
    public void Desired_slots_without_a_replica_are_pending_and_services_keep_their_namespace()
    {
        var api = Svc("api", 4, ns: "team-a");
        var gauges = ClusterGauges.From([Web, api], [.. WebReplicas, R(api, 1), R(api, 2)], [], [Node("n1")]);

        Assert.Equal([("default", "web", 0), ("team-a", "api", 2)], gauges.Services.Select(s => (s.Namespace, s.Service, s.Pending)));
    }

    [Fact]
    public void Every_node_state_is_counted_with_zeros_and_cordoned_nodes_apart()
    {
        var gauges = ClusterGauges.From([], [], [],
            [Node("a"), Node("b", cordoned: true), Node("c", NodeState.NotReady), Node("d", NodeState.NotReady, cordoned: true)]);

        Assert.Equal(new Dictionary<NodeState, int> { [NodeState.Ready] = 2, [NodeState.NotReady] = 2, [NodeState.Down] = 0 }, gauges.NodesByState);
        Assert.Equal(2, gauges.CordonedNodes);
    }

    [Fact]
    public void Allocated_is_the_sum_of_the_requests_of_the_replicas_on_each_node()
    {
        var small = Svc("small", 1, cpu: "100m", memory: "16Mi");
        var gauges = ClusterGauges.From([Web, small], [.. WebReplicas, R(small, 1, "n2")], [], [Node("n1"), Node("n2", milliCpu: 2000), Node("idle")]);

        Assert.Equal(
            [("idle", 4.0, 0.0, 8L << 30, 0L), ("n1", 4.0, 0.5, 8L << 30, 128L << 20), ("n2", 2.0, 0.35, 8L << 30, 80L << 20)],
            gauges.Nodes.Select(n => (n.Node, n.CpuAllocatable, Math.Round(n.CpuAllocated, 3), n.MemoryAllocatable, n.MemoryAllocated)));
    }
}
