namespace Orchestrator.Scheduler.Tests;

/// <summary>One request of several slots: each placement must see the ones before it.</summary>
[Trait("Category", "Unit")]
public sealed class BatchPlacementTests
{
    private readonly Placer _placer = Placer.CreateDefault();

    [Fact]
    public void Topology_spread_places_two_and_two()
    {
        var cluster = Cluster(Node("a1").Zone("a"), Node("a2").Zone("a"), Node("a3").Zone("a"), Node("b1").Zone("b"));

        var result = _placer.Place(cluster, Request("web").Spread("zone").Count(4));

        Assert.Empty(result.Unplaced);
        Assert.Equal(2, result.Placements.Count(p => p.Node.StartsWith('a')));
        Assert.Equal(2, result.Placements.Count(p => p.Node == "b1"));
    }

    [Fact]
    public void Max_per_node_leaves_the_fourth_unplaced_with_its_reason()
    {
        var result = _placer.Place(Cluster(Nodes(3)), Request("web").MaxPerNode(1).Count(4));

        Assert.Equal("n1=1,n2=1,n3=1", Plugin.Spread(result));
        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal((4, "0/3 nodes available: 3 reached maxPerNode"), (unplaced.Slot, unplaced.Explanation));
    }

    [Fact]
    public void Self_anti_affinity_puts_each_replica_on_its_own_node()
    {
        var result = _placer.Place(Cluster(Nodes(3)), Request("web").Label("app", "web").AntiAffinity("app", "web", "node.name").Count(4));

        Assert.Equal("n1=1,n2=1,n3=1", Plugin.Spread(result));
        Assert.Equal("0/3 nodes available: 3 conflicted with anti-affinity", Assert.Single(result.Unplaced).Explanation);
    }

    [Fact]
    public void Self_affinity_keeps_the_batch_in_the_first_zone()
    {
        var cluster = Cluster(Node("a1").Zone("a"), Node("a2").Zone("a"), Node("b1").Zone("b"), Node("b2").Zone("b"));

        var result = _placer.Place(cluster, Request("web").Label("app", "web").Affinity("app", "web", "zone").Count(4));

        Assert.Single(result.Placements.Select(p => p.Node[0]).Distinct());
    }

    [Fact]
    public void Binpack_fills_one_node_before_the_next()
    {
        var result = _placer.Place(Cluster(Nodes(3)), Request("web").Binpack().Cpu("1").Count(4));

        Assert.Single(result.Placements.Select(p => p.Node).Distinct());
    }

    [Fact]
    public void Spread_strategy_uses_every_node()
    {
        var result = _placer.Place(Cluster(Nodes(3)), Request("web").Cpu("1").Count(3));

        Assert.Equal("n1=1,n2=1,n3=1", Plugin.Spread(result));
    }

    [Fact]
    public void PreferNoSchedule_loses_to_an_equal_untainted_node()
    {
        foreach (var evaluation in new[] { "e-1", "e-2", "e-3", "e-4" })
        {
            var result = _placer.Place(Cluster(Node("n1").Taint("spot", "", "PreferNoSchedule"), Node("n2")), Request("web").Evaluation(evaluation));

            Assert.Equal("n2", Assert.Single(result.Placements).Node);
        }
    }

    [Fact]
    public void A_kept_state_carries_placements_to_the_next_request()
    {
        var state = SchedulingState.From(Cluster(Nodes(3)));

        var web = Assert.Single(_placer.Place(state, Request("web").Label("app", "web")).Placements).Node;
        var api = _placer.Place(state, Request("api").AntiAffinity("app", "web", "node.name").Count(4));

        Assert.Equal(4, api.Placements.Count);
        Assert.DoesNotContain(api.Placements, p => p.Node == web);
    }

    [Fact]
    public void Removing_a_replica_frees_its_resources()
    {
        var replica = Replica("db").On("n1").Cpu("4").Build();
        var state = SchedulingState.From(new ClusterSnapshot([Node("n1").Build()], [replica]));
        Assert.Empty(_placer.Place(state, Request("web").Cpu("1")).Placements);

        state.Remove(replica);

        Assert.Single(_placer.Place(state, Request("web").Cpu("1")).Placements);
    }
}
