using Orchestrator.Contracts;

namespace Orchestrator.Scheduler.Benchmarks;

/// <summary>
/// The benchmark's cluster and workload, the same on every run (fixed seed): 5,000 nodes in 5 zones and 100 racks,
/// some tainted; 5,000 services of 30 replicas (150,000 placements) with every kind of rule active on a share of them.
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
        // 5% dedicated to gpu work, 2% being drained softly.
        Taints = random.Next(100) switch
        {
            < 5 => [new Taint { Key = "dedicated", Value = "gpu", Effect = TaintEffect.NoSchedule }],
            < 7 => [new Taint { Key = "maintenance", Effect = TaintEffect.PreferNoSchedule }],
            _ => [],
        },
    };

    private static PlacementRequest Request(int i, Random random)
    {
        var app = $"svc-{i}";
        var container = new ContainerSpec
        {
            Image = "local/app:1",
            MilliCpu = 100 * random.Next(1, 6),
            MemoryBytes = (128L << 20) * random.Next(1, 5),
        };
        var placement = new PlacementSpec
        {
            Strategy = i % 7 == 0 ? PlacementStrategy.Binpack : PlacementStrategy.Spread,
            NodeSelector = i % 5 == 0 ? new() { ["disk"] = "ssd" } : new(),
            Tolerations = i % 20 == 0 ? [new Toleration { Key = "dedicated", Value = "gpu", Effect = TaintEffect.NoSchedule }] : [],
            MaxPerNode = i % 10 == 1 ? 2 : null,
            AntiAffinity = i % 4 == 0
                ? new AffinitySpec { Required = [new AffinityTerm { LabelSelector = new() { ["app"] = app }, TopologyKey = PlacementSpec.NodeNameKey }] }
                : new(),
            Affinity = i % 10 == 3 && i > 0
                ? new AffinitySpec { Preferred = [new AffinityTerm { Weight = 50, LabelSelector = new() { ["app"] = $"svc-{i - 1}" }, TopologyKey = "zone" }] }
                : new(),
            TopologySpread = i % 4 == 1 ? [new TopologySpreadConstraint { TopologyKey = "zone", MaxSkew = 1 }] : [],
        };
        return new PlacementRequest(ObjectKinds.DefaultNamespace, app, container, Enumerable.Range(1, ReplicasPerService).ToList(),
            $"eval-{i}", placement, new Dictionary<string, string> { ["app"] = app, ["tier"] = $"tier-{i % 5}" });
    }
}
