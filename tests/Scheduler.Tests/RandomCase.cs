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

    // Zone a, b or none; taints that keep out, evict, only repel, or none (most often).
    private static readonly string?[] Zones = ["a", "b", null];
    private static readonly Taint[][] Taints =
    [
        [], [], [], [new Taint { Key = "dedicated", Value = "gpu", Effect = TaintEffect.NoSchedule }],
        [new Taint { Key = "maintenance", Effect = TaintEffect.NoExecute }], [new Taint { Key = "spot", Effect = TaintEffect.PreferNoSchedule }],
    ];
    // Service labels of existing replicas; affinity terms below select app=web, app=cache or app=db.
    private static readonly string?[] Apps = ["web", "cache", "db", null];

    // Mostly ready; the index becomes the name, so names are unique.
    private static readonly Gen<Func<int, NodeInfo>> Node =
        Gen.Select(Gen.Select(Gen.Int[0, 8], Gen.Int[0, 8], Gen.Int[0, 9], Gen.Int[0, 9]), Gen.Int[0, Zones.Length - 1], Gen.Int[0, Taints.Length - 1],
            (n, zone, taints) => (Func<int, NodeInfo>)(i => new NodeInfo
        {
            Name = $"n{i}",
            Capacity = new NodeCapacity { MilliCpu = n.Item1 * 500, MemoryBytes = n.Item2 * Gi },
            State = n.Item3 switch { 8 => NodeState.NotReady, 9 => NodeState.Down, _ => NodeState.Ready },
            Cordoned = n.Item4 == 0,
            Labels = Zones[zone] is { } z ? new() { ["zone"] = z } : new(),
            Taints = [.. Taints[taints]],
        }));

    private static readonly Gen<AffinityTerm?> Term =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 2], Gen.Bool, (app, key, none) => none ? null : new AffinityTerm
        {
            LabelSelector = new() { ["app"] = Apps[app] ?? "web" },
            TopologyKey = key == 0 ? "zone" : PlacementSpec.NodeNameKey,
        });

    /// <summary>Every rule at once, each present about half the time, so that they meet in the same request.</summary>
    private static readonly Gen<PlacementSpec?> Placement =
        Gen.Select(Gen.Select(Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 3], Gen.Bool), Term, Term, Gen.Int[0, 3],
            (p, affinity, antiAffinity, spread) => p.Item4 ? null : new PlacementSpec
            {
                Strategy = p.Item1 == 0 ? PlacementStrategy.Binpack : PlacementStrategy.Spread,
                NodeSelector = p.Item2 == 0 ? new() { ["zone"] = "a" } : new(),
                Tolerations = p.Item3 switch
                {
                    0 => [new Toleration { Key = "dedicated", Value = "gpu" }],
                    1 => [new Toleration { Operator = TolerationOperator.Exists }],
                    _ => [],
                },
                MaxPerNode = p.Item3 == 2 ? 1 + p.Item1 % 2 : null,
                Affinity = affinity is null ? new() : new AffinitySpec { Required = [affinity] },
                AntiAffinity = antiAffinity is null ? new() : new AffinitySpec { Required = [antiAffinity] },
                TopologySpread = spread == 0 ? [] : [new TopologySpreadConstraint { TopologyKey = spread == 3 ? PlacementSpec.NodeNameKey : "zone", MaxSkew = spread }],
            });

    // Node index 6 is never generated as a node: replicas there sit on a node that is gone.
    private static readonly Gen<Replica> ExistingReplica =
        Gen.Select(Container, Gen.Int[0, 6], Gen.Bool, Gen.Int[0, Apps.Length - 1], (container, node, sameService, app) => new Replica
        {
            Service = sameService ? "web" : "db",
            Node = $"n{node}",
            Container = container,
            Labels = sameService ? new() { ["app"] = "web" } : Apps[app] is { } a ? new() { ["app"] = a } : new(),
        });

    public static readonly Gen<RandomCase> Any =
        Gen.Select(Node.Array[0, 6], ExistingReplica.Array[0, 12], Container, Gen.Int[0, 10], Gen.Int, Placement,
            (nodes, replicas, container, slots, evaluation, placement) => new RandomCase(
                new ClusterSnapshot(nodes.Select((node, i) => node(i)).ToList(), replicas),
                new PlacementRequest(ObjectKinds.DefaultNamespace, "web", container, Enumerable.Range(1, slots).ToList(), $"eval-{evaluation}",
                    placement, ServiceLabels)));

    /// <summary>The requested service's labels: app=web, so its own app=web terms match its own replicas.</summary>
    public static readonly IReadOnlyDictionary<string, string> ServiceLabels = new Dictionary<string, string> { ["app"] = "web" };

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
                Labels = new(ServiceLabels),
            })],
        },
    };

    public override string ToString() =>
        $"nodes [{string.Join(", ", Snapshot.Nodes.Select(n => $"{n.Name} {n.Capacity.MilliCpu}m/{n.Capacity.MemoryBytes / Gi}Gi {n.State}{(n.Cordoned ? " cordoned" : "")} {string.Join(" ", n.Labels.Select(l => $"{l.Key}={l.Value}"))} {string.Join(" ", n.Taints)}"))}] " +
        $"replicas [{string.Join(", ", Snapshot.Replicas.Select(r => $"{r.Service}@{r.Node} {Describe(r.Container)} {string.Join(" ", r.Labels.Values)}"))}] " +
        $"request {Request.Slots.Count} x {Describe(Request.Container)} {Request.EvaluationId} {(Request.Placement is null ? "" : Json.Serialize(Request.Placement))}";

    private static string Describe(ContainerSpec c) =>
        $"{c.MilliCpu}m/{c.MemoryBytes / Gi}Gi{string.Concat(c.Ports.Select(p => $" :{p.HostPort}/{p.Protocol}"))}";
}
