using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Reconcile;

namespace Orchestrator.ControlPlane.Tests.Reconcile;

[Trait("Category", "Unit")]
public sealed class ServiceReconcilerTests
{
    private static readonly ServiceObject Web = new()
    {
        Metadata = new ObjectMeta { Name = "web" },
        Spec = new ServiceSpec { Image = "local/web:1", Replicas = 3, Resources = new ResourceSpec { Memory = "32Mi" } },
    };

    private static readonly string WebHash = ContainerSpec.From(Web.Spec).Hash();
    private static readonly Dictionary<string, NodeView> Nodes = new()
    {
        ["n1"] = new(NodeState.Ready, false), ["n2"] = new(NodeState.Ready, false), ["slow"] = new(NodeState.NotReady, false),
        ["dead"] = new(NodeState.Down, false), ["drain"] = new(NodeState.Ready, true),
    };

    private static Replica R(int slot, string node = "n1", string? hash = null, string? id = null, int ageSeconds = 0) => new()
    {
        Id = id ?? $"r{slot}{node}",
        Service = "web",
        Slot = slot,
        Node = node,
        SpecHash = hash ?? WebHash,
        CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(1000 - ageSeconds),
    };

    public static TheoryData<string, ServiceObject?, Replica[], int[], string[]> Cases => new()
    {
        { "nothing assigned: place every slot", Web, [], [1, 2, 3], [] },
        { "all slots filled: nothing to do", Web, [R(1), R(2, "n2"), R(3)], [], [] },
        { "one slot missing: place only it", Web, [R(1), R(3)], [2], [] },
        { "scaled down: remove the highest slots", Web with { Spec = Web.Spec with { Replicas = 1 } }, [R(1), R(2), R(3)], [], ["r2n1:scaled down", "r3n1:scaled down"] },
        { "scaled to zero: remove all", Web with { Spec = Web.Spec with { Replicas = 0 } }, [R(1), R(2)], [], ["r1n1:scaled down", "r2n1:scaled down"] },
        { "service deleted: remove all", null, [R(1), R(2)], [], ["r1n1:service deleted", "r2n1:service deleted"] },
        { "spec changed: its slot gets a successor first (rolling update)", Web, [R(1), R(2, hash: "old"), R(3)], [2], [] },
        { "node gone: remove and place again", Web, [R(1), R(2, "gone"), R(3)], [2], ["r2gone:node no longer registered"] },
        { "two replicas in one slot: the older stays", Web, [R(1), R(2, id: "young", ageSeconds: 1), R(2, id: "old", ageSeconds: 50), R(3)], [], ["young:duplicate of another replica in the same slot"] },
        { "node down: place a successor first, keep the lost replica until it exists", Web, [R(1), R(2, "dead"), R(3)], [2], [] },
        { "node down and the successor placed: the lost replica goes", Web, [R(1), R(2, "dead"), R(2, "n2", id: "succ2", ageSeconds: -5), R(3)], [], ["r2dead:node down"] },
        { "node down, scaled down: the lost replica goes at once", Web with { Spec = Web.Spec with { Replicas = 1 } }, [R(1), R(2, "dead")], [], ["r2dead:scaled down"] },
        { "node down, service deleted: the lost replica goes at once", null, [R(1, "dead")], [], ["r1dead:service deleted"] },
        { "node not ready: keep its replica through the grace", Web, [R(1), R(2, "slow"), R(3)], [], [] },
        { "slot 0 is never valid", Web, [R(0), R(1), R(2), R(3)], [], ["r0n1:scaled down"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plans(string name, ServiceObject? service, Replica[] replicas, int[] place, string[] remove)
    {
        var plan = ServiceReconciler.Plan(service, replicas, Nodes);

        Assert.True(place.SequenceEqual(plan.Place), $"{name}: place {string.Join(",", plan.Place)}");
        Assert.Equal(remove.OrderBy(x => x), plan.Remove.Select(r => $"{r.Replica.Id}:{r.Reason}").OrderBy(x => x));
    }

    [Fact]
    public void Drain_places_a_successor_for_one_slot_and_keeps_the_old_replica_until_it_runs()
    {
        var replicas = new[] { R(1, "drain"), R(2, "drain"), R(3) };

        var first = ServiceReconciler.Plan(Web, replicas, Nodes, running: new HashSet<string>(replicas.Select(r => r.Id)));
        Assert.Equal([1], first.Place);
        Assert.Empty(first.Remove);

        // The successor of slot 1 exists but does not run yet: nothing is removed and nothing else moves.
        var successor = R(1, "n2", id: "succ1", ageSeconds: -5);
        var waiting = ServiceReconciler.Plan(Web, [.. replicas, successor], Nodes, running: new HashSet<string>(replicas.Select(r => r.Id)));
        Assert.Empty(waiting.Place);
        Assert.Empty(waiting.Remove);

        // Once it runs the old one goes and slot 2 starts moving.
        var runs = ServiceReconciler.Plan(Web, [.. replicas, successor], Nodes, running: new HashSet<string>([.. replicas.Select(r => r.Id), "succ1"]));
        Assert.Equal(["r1drain:moved off a draining node"], runs.Remove.Select(r => $"{r.Replica.Id}:{r.Reason}"));
        Assert.Equal([2], runs.Place);
    }

    [Fact]
    public void A_NoExecute_taint_evicts_replicas_that_do_not_tolerate_it_and_keeps_those_that_do()
    {
        var tainted = new NodeInfo
        {
            Name = "tainted", State = NodeState.Ready,
            Taints = [new Taint { Key = "maintenance", Effect = TaintEffect.NoExecute }],
        };
        var nodes = new Dictionary<string, NodeView>(Nodes) { ["tainted"] = NodeView.Of(tainted) };
        var replicas = new[] { R(1), R(2, "tainted"), R(3) };

        var evicted = ServiceReconciler.Plan(Web, replicas, nodes);
        Assert.Equal([2], evicted.Place);
        Assert.StartsWith(ServiceReconciler.ReasonNoExecute, evicted.Remove.Single().Reason);

        var tolerant = Web with
        {
            Spec = Web.Spec with { Placement = new PlacementSpec { Tolerations = [new Toleration { Key = "maintenance", Operator = TolerationOperator.Exists }] } },
        };
        var hash = ContainerSpec.From(tolerant.Spec).Hash();
        var kept = ServiceReconciler.Plan(tolerant, replicas.Select(r => r with { SpecHash = hash }).ToList(), nodes);
        Assert.Empty(kept.Remove);
    }

    [Fact]
    public void A_lost_replica_that_can_go_nowhere_stays_assigned_and_is_kept_when_its_node_returns()
    {
        // Every node is Down but the lost one's: the slot asks for a successor every pass, and nothing is removed.
        var replicas = new[] { R(1, "dead"), R(2, "dead"), R(3, "dead") };
        var whileDown = ServiceReconciler.Plan(Web, replicas, Nodes, running: new HashSet<string>(replicas.Select(r => r.Id)));
        Assert.Equal([1, 2, 3], whileDown.Place);
        Assert.Empty(whileDown.Remove);
        Assert.Empty(whileDown.Terminate);

        // The node returns before anything could be placed: its replicas are simply kept.
        var back = new Dictionary<string, NodeView>(Nodes) { ["dead"] = new(NodeState.Ready, false) };
        var returned = ServiceReconciler.Plan(Web, replicas, back, running: new HashSet<string>(replicas.Select(r => r.Id)));
        Assert.True(returned.IsEmpty);
    }

    [Fact]
    public void A_lost_replica_never_counts_as_available_nor_against_max_surge_in_a_rollout()
    {
        // 3 replicas of an old spec, one on a Down node: its slot is placed at once (not gated by the surge budget),
        // and the rollout's own successor for another slot still fits within maxSurge 1.
        var plan = ServiceReconciler.Plan(Web, [R(1, hash: "old"), R(2, "dead", hash: "old"), R(3, hash: "old")], Nodes,
            running: new HashSet<string>(["r1n1", "r2dead", "r3n1"]));

        Assert.Contains(2, plan.Place);
        Assert.Empty(plan.Remove);
    }

    [Fact]
    public void Old_replicas_that_serve_nothing_are_stopped_at_once_and_one_successor_starts_within_max_surge()
    {
        var plan = ServiceReconciler.Plan(Web, [R(1, hash: "old"), R(2, hash: "old"), R(3, hash: "old")], Nodes);

        Assert.Empty(plan.Remove);
        Assert.Equal([1], plan.Place);
        Assert.Equal(["r2n1", "r3n1"], plan.Terminate.Select(t => t.Replica.Id));
    }
}
