using CsCheck;

namespace Orchestrator.Scheduler.Tests;

/// <summary>A random cluster and a request for default/web; small numbers so that collisions and full nodes are common.</summary>
public sealed record RandomCase(ClusterSnapshot Snapshot, PlacementRequest Request)
{
    private const long Gi = 1L << 30;

    // Few ports, both protocols, so collisions happen often; 0 stands for "no host port".
    private static readonly (int Port, string Protocol)[] Ports = [(0, "tcp"), (80, "tcp"), (80, "udp"), (443, "TCP")];

    private static readonly Gen<ContainerSpec> Container =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 4], Gen.Int[0, Ports.Length - 1], (cpu, memory, port) => new ContainerSpec
        {
            Image = "nginx:1.27",
            MilliCpu = cpu * 500,
            MemoryBytes = memory * Gi,
            Ports = Ports[port].Port == 0 ? [] : [new PortSpec { ContainerPort = 8080, HostPort = Ports[port].Port, Protocol = Ports[port].Protocol }],
        });

    // Mostly ready; the index becomes the name, so names are unique.
    private static readonly Gen<Func<int, NodeInfo>> Node =
        Gen.Select(Gen.Int[0, 8], Gen.Int[0, 8], Gen.Int[0, 9], Gen.Int[0, 9], (cpu, memory, state, cordon) => (Func<int, NodeInfo>)(i => new NodeInfo
        {
            Name = $"n{i}",
            Capacity = new NodeCapacity { MilliCpu = cpu * 500, MemoryBytes = memory * Gi },
            State = state switch { 8 => NodeState.NotReady, 9 => NodeState.Down, _ => NodeState.Ready },
            Cordoned = cordon == 0,
        }));

    // Node index 6 is never generated as a node: replicas there sit on a node that is gone.
    private static readonly Gen<Replica> ExistingReplica =
        Gen.Select(Container, Gen.Int[0, 6], Gen.Bool, (container, node, sameService) => new Replica
        {
            Service = sameService ? "web" : "db",
            Node = $"n{node}",
            Container = container,
        });

    public static readonly Gen<RandomCase> Any =
        Gen.Select(Node.Array[0, 6], ExistingReplica.Array[0, 12], Container, Gen.Int[0, 10], Gen.Int,
            (nodes, replicas, container, slots, evaluation) => new RandomCase(
                new ClusterSnapshot(nodes.Select((node, i) => node(i)).ToList(), replicas),
                new PlacementRequest(ObjectKinds.DefaultNamespace, "web", container, Enumerable.Range(1, slots).ToList(), $"eval-{evaluation}")));

    /// <summary>The same case with the given placements added to the snapshot as replicas.</summary>
    public RandomCase With(IEnumerable<Placement> placements) => this with
    {
        Snapshot = Snapshot with
        {
            Replicas = [.. Snapshot.Replicas, .. placements.Select(p => new Replica
            {
                Namespace = Request.Namespace,
                Service = Request.Service,
                Slot = p.Slot,
                Node = p.Node,
                Container = Request.Container,
            })],
        },
    };

    public override string ToString() =>
        $"nodes [{string.Join(", ", Snapshot.Nodes.Select(n => $"{n.Name} {n.Capacity.MilliCpu}m/{n.Capacity.MemoryBytes / Gi}Gi {n.State}{(n.Cordoned ? " cordoned" : "")}"))}] " +
        $"replicas [{string.Join(", ", Snapshot.Replicas.Select(r => $"{r.Service}@{r.Node} {Describe(r.Container)}"))}] " +
        $"request {Request.Slots.Count} x {Describe(Request.Container)} {Request.EvaluationId}";

    private static string Describe(ContainerSpec c) =>
        $"{c.MilliCpu}m/{c.MemoryBytes / Gi}Gi{string.Concat(c.Ports.Select(p => $" :{p.HostPort}/{p.Protocol}"))}";
}
