using Orchestrator.Contracts;

namespace Orchestrator.Scheduler.Tests;

/// <summary>
/// The kept scheduling state must always count what a state built from scratch on the same nodes and replicas counts:
/// after replicas come, change node and go, after placements stored or not, and across lease renewals (no rebuild)
/// and node changes (a rebuild).
/// </summary>
[Trait("Category", "Unit")]
public sealed class LiveSchedulingStateTests
{
    private static readonly ContainerSpec Small = new() { Image = "app:1", MilliCpu = 100, MemoryBytes = 64L << 20 };

    [Fact]
    public void Replica_changes_update_the_kept_state_as_a_rebuild_would_count_them()
    {
        var live = new LiveSchedulingState();
        var nodes = new List<NodeInfo> { Node("n1"), Node("n2"), Node("n3") };
        var replicas = new List<Replica> { Replica("a", "n1"), Replica("b", "n1"), Replica("c", "n2") };
        var first = live.For(nodes, replicas);
        AssertCountsLikeRebuild(first, nodes, replicas);

        // d comes, a moves (a new record of the same id), b goes.
        replicas = [Replica("a", "n3"), replicas[2], Replica("d", "n2")];
        var second = live.For(nodes, replicas);
        Assert.Same(first, second);
        AssertCountsLikeRebuild(second, nodes, replicas);
        Assert.Equal((1, 3), (live.Rebuilds, live.Updates));
    }

    [Fact]
    public void Placements_stored_are_known_and_those_not_stored_are_undone()
    {
        var live = new LiveSchedulingState();
        var nodes = new List<NodeInfo> { Node("n1"), Node("n2") };
        var state = live.For(nodes, []);
        var result = Placer.CreateDefault().Place(state, new PlacementRequest("default", "web", Small, [1, 2, 3, 4], "web@1"));
        var placed = result.Placements.Select(p => Replica($"p{p.Slot}", p.Node)).ToList();
        live.Placed(placed.Take(3));
        live.NotStored(placed.Skip(3));

        // The cache then brings the three stored ones as records of its own (other objects, the same ids).
        var fromCache = placed.Take(3).Select(r => r with { ResourceVersion = 7 }).ToList();
        AssertCountsLikeRebuild(live.For(nodes, fromCache), nodes, fromCache);
        Assert.Equal(1, live.Rebuilds);
    }

    [Fact]
    public void It_knows_the_ids_of_every_replica_it_counts_so_that_a_new_id_can_avoid_them()
    {
        var live = new LiveSchedulingState();
        var nodes = new List<NodeInfo> { Node("n1") };
        live.For(nodes, [Replica("a", "n1"), Replica("b", "n1")]);
        live.Placed([Replica("p", "n1")]);
        Assert.True(live.Knows("a") && live.Knows("b") && live.Knows("p"));
        Assert.False(live.Knows("c"));

        live.For(nodes, [Replica("b", "n1"), Replica("p", "n1")]);
        Assert.False(live.Knows("a"));
    }

    [Fact]
    public void A_lease_renewal_rebuilds_nothing_and_a_cordon_rebuilds()
    {
        var live = new LiveSchedulingState();
        var nodes = new List<NodeInfo> { Node("n1"), Node("n2") };
        live.For(nodes, []);

        var renewed = nodes.Select(n => n with { LastHeartbeat = n.LastHeartbeat.AddSeconds(10), ObservedRevision = 9, ResourceVersion = 12 }).ToList();
        live.For(renewed, []);
        Assert.Equal(1, live.Rebuilds);

        var cordoned = new List<NodeInfo> { renewed[0] with { Cordoned = true }, renewed[1] };
        var state = live.For(cordoned, []);
        Assert.Equal(2, live.Rebuilds);
        Assert.True(state.Node("n1")!.Info.Cordoned);
    }

    private static void AssertCountsLikeRebuild(SchedulingState kept, List<NodeInfo> nodes, List<Replica> replicas)
    {
        var rebuilt = SchedulingState.From(new ClusterSnapshot(nodes, replicas));
        Assert.Equal(
            rebuilt.Nodes.Select(n => (n.Name, n.AllocatedMilliCpu, n.AllocatedMemoryBytes)),
            kept.Nodes.Select(n => (n.Name, n.AllocatedMilliCpu, n.AllocatedMemoryBytes)));
    }

    private static NodeInfo Node(string name) => new()
    {
        Name = name, State = NodeState.Ready, LastHeartbeat = DateTimeOffset.UnixEpoch,
        Capacity = new NodeCapacity { MilliCpu = 4000, MemoryBytes = 8L << 30 },
    };

    private static Replica Replica(string id, string node) => new()
    {
        Id = id, Namespace = "default", Service = "web", Slot = 1, Node = node, Container = Small, SpecHash = "h",
    };
}
