using Orchestrator.Contracts;

namespace Orchestrator.Scheduler.Benchmarks;

/// <summary>
/// The benchmark's cluster and workload, the same on every run (fixed seed): 5,000 nodes in 5 zones and 100 racks,
/// some tainted (NoSchedule, PreferNoSchedule, NoExecute), some NotReady, Down or cordoned; 5,000 services of 30
/// replicas (150,000 placements), each rule of the placer in use by a share of them: node selector, tolerations,
/// fixed host ports (some shared, so they collide), maxPerNode, required and preferred affinity and anti-affinity,
/// topology spread, spread and binpack. <see cref="RuleUse"/> checks on every quick run that each filter rejected
/// nodes and each scorer scored, so the claim "every placement rule active" is measured, not assumed.
/// </summary>
public sealed record BenchCluster
{
    public const int NodeCount = 5_000;
    public const int ServiceCount = 5_000;
    public const int ReplicasPerService = 30;
    public const int Zones = 5;
    public const int Racks = 100;
    private const int Seed = 42;

    public required IReadOnlyList<NodeInfo> Nodes { get; init; }

    public required IReadOnlyList<PlacementRequest> Requests { get; init; }

    public int Placements => Requests.Sum(r => r.Slots.Count);

    public static BenchCluster Create()
    {
        var random = new Random(Seed);
        var nodes = Enumerable.Range(0, NodeCount).Select(i => Node(i, random)).ToList();
        var requests = Enumerable.Range(0, ServiceCount).Select(i => Request(i, random)).ToList();
        return new BenchCluster { Nodes = nodes, Requests = requests };
    }

    public SchedulingState State() => SchedulingState.From(new ClusterSnapshot(Nodes, []));

    private static NodeInfo Node(int i, Random random) => new()
    {
        Name = $"node-{i:D5}",
        Labels = new()
        {
            ["zone"] = $"zone-{i % Zones}",
            ["rack"] = $"rack-{i % Racks}",
            ["disk"] = i % 2 == 0 ? "ssd" : "hdd",
        },
        Capacity = new NodeCapacity { MilliCpu = 16_000, MemoryBytes = 64L << 30 },
        // 5% dedicated to gpu work, 2% being drained softly, 1% evicting (NoExecute).
        Taints = random.Next(100) switch
        {
            < 5 => [new Taint { Key = "dedicated", Value = "gpu", Effect = TaintEffect.NoSchedule }],
            < 7 => [new Taint { Key = "maintenance", Effect = TaintEffect.PreferNoSchedule }],
            < 8 => [new Taint { Key = "evicting", Effect = TaintEffect.NoExecute }],
            _ => [],
        },
        // 1% NotReady, 0.5% Down, 1% cordoned: as a live cluster has them.
        State = random.Next(200) switch { < 2 => NodeState.NotReady, < 3 => NodeState.Down, _ => NodeState.Ready },
        Cordoned = random.Next(100) == 0,
    };

    private static PlacementRequest Request(int i, Random random)
    {
        var app = $"svc-{i}";
        var container = new ContainerSpec
        {
            Image = "local/app:1",
            MilliCpu = 100 * random.Next(1, 6),
            MemoryBytes = (128L << 20) * random.Next(1, 5),
            // 1 in 10 binds a fixed host port: its own, or for 1 in 50 the shared 9000, so services collide on nodes.
            Ports = i % 10 == 5 ? [new PortSpec { ContainerPort = 8080, HostPort = i % 50 == 5 ? 9000 : 20_000 + i }] : [],
        };
        var placement = new PlacementSpec
        {
            Strategy = i % 7 == 0 ? PlacementStrategy.Binpack : PlacementStrategy.Spread,
            NodeSelector = i % 5 == 0 ? new() { ["disk"] = "ssd" } : new(),
            Tolerations = i % 20 == 0 ? [new Toleration { Key = "dedicated", Value = "gpu", Effect = TaintEffect.NoSchedule }]
                : i % 25 == 1 ? [new Toleration { Key = "evicting", Operator = TolerationOperator.Exists, Effect = TaintEffect.NoExecute }]
                : [],
            MaxPerNode = i % 10 == 1 ? 2 : null,
            AntiAffinity = i % 4 == 0
                ? new AffinitySpec { Required = [new AffinityTerm { LabelSelector = new() { ["app"] = app }, TopologyKey = PlacementSpec.NodeNameKey }] }
                : i % 10 == 9
                    ? new AffinitySpec { Preferred = [new AffinityTerm { Weight = 30, LabelSelector = new() { ["app"] = app }, TopologyKey = "rack" }] }
                    : new(),
            // The previous service is placed before this one, so a required affinity to it can be met.
            Affinity = i % 10 == 3 && i > 0
                ? new AffinitySpec { Preferred = [new AffinityTerm { Weight = 50, LabelSelector = new() { ["app"] = $"svc-{i - 1}" }, TopologyKey = "zone" }] }
                : i % 10 == 7
                    ? new AffinitySpec { Required = [new AffinityTerm { LabelSelector = new() { ["app"] = $"svc-{i - 1}" }, TopologyKey = "zone" }] }
                    : new(),
            TopologySpread = i % 4 == 1 ? [new TopologySpreadConstraint { TopologyKey = "zone", MaxSkew = 1 }] : [],
        };
        return new PlacementRequest(ObjectKinds.DefaultNamespace, app, container, Enumerable.Range(1, ReplicasPerService).ToList(),
            $"eval-{i}", placement, new Dictionary<string, string> { ["app"] = app, ["tier"] = $"tier-{i % 5}" });
    }
}
