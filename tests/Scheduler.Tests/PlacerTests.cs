using Orchestrator.Scheduler.Filters;
using Orchestrator.Scheduler.Scorers;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class PlacerTests
{
    private readonly Placer _placer = Placer.CreateDefault();

    public static TheoryData<string, ClusterBuilder, RequestBuilder, string> Batches => new()
    {
        { "3 replicas on 3 nodes land 1/1/1", Cluster(Nodes(3)), Request("web").Count(3), "n1=1,n2=1,n3=1" },
        { "6 replicas on 3 nodes land 2/2/2", Cluster(Nodes(3)), Request("web").Count(6), "n1=2,n2=2,n3=2" },
        { "spread holds with resources asked", Cluster(Nodes(3)), Request("web").Cpu("500m").Memory("1Gi").Count(6), "n1=2,n2=2,n3=2" },
        { "existing replicas of the service count",
            Cluster(Nodes(3)).With(Replica("web").On("n1"), Replica("web").Slot(2).On("n1")), Request("web").Slots(3, 4), "n2=1,n3=1" },
        { "other services do not skew spread", Cluster(Nodes(2)).With(Replica("db").On("n1")), Request("web").Count(2), "n1=1,n2=1" },
        { "never overcommits within a batch", Cluster(Nodes(3, cpu: "2")), Request("web").Cpu("1").Count(10), "n1=2,n2=2,n3=2" },
        { "a fixed host port goes once per node", Cluster(Nodes(2)), Request("web").HostPort(80).Count(3), "n1=1,n2=1" },
        { "not ready and cordoned nodes take nothing", Cluster(Node("n1").NotReady(), Node("n2").Cordoned(), Node("n3")), Request("web").Count(2), "n3=2" },
        { "least allocated picks the emptier node", Cluster(Nodes(2)).With(Replica("db").On("n1").Cpu("3")), Request("web").Cpu("100m"), "n2=1" },
        { "least allocated picks the bigger node", Cluster(Node("n1"), Node("n2").Cpu("16").Memory("64Gi")), Request("web").Cpu("1"), "n2=1" },
        { "spread beats free room", Cluster(Node("n1"), Node("n2").Cpu("64").Memory("256Gi")), Request("web").Cpu("1").Count(2), "n1=1,n2=1" },
        { "resource fit caps the small node", Cluster(Node("n1").Cpu("1"), Node("n2")), Request("web").Cpu("1").Count(4), "n1=1,n2=3" },
    };

    [Theory, MemberData(nameof(Batches))]
    public void Places_a_batch(string name, ClusterBuilder cluster, RequestBuilder request, string spread) =>
        Assert.Equal(spread, Plugin.Spread(_placer.Place(cluster, request)));

    [Fact]
    public void Every_slot_lands_in_one_list_in_request_order()
    {
        var result = _placer.Place(Cluster(Nodes(2, cpu: "1")), Request("web").Cpu("1").Slots(9, 4, 7));

        Assert.Equal([9, 4], result.Placements.Select(p => p.Slot));
        Assert.Equal([7], result.Unplaced.Select(u => u.Slot));
    }

    [Fact]
    public void No_slots_places_nothing()
    {
        var result = _placer.Place(Cluster(Nodes(2)), Request("web").Slots());

        Assert.Empty(result.Placements);
        Assert.Empty(result.Unplaced);
    }

    [Fact]
    public void A_port_another_program_holds_sends_the_replica_to_the_other_node()
    {
        var result = _placer.Place(Cluster(Node("a").PortHeldByOtherProgram(2379), Node("b")), Request("etcd").HostPort(2379));

        Assert.Equal("b", Assert.Single(result.Placements).Node);
    }

    [Fact]
    public void Reason_names_the_score_and_its_parts()
    {
        // Spread 1 (weight 2) and least allocated (0.75 + 0.75) / 2 (weight 1): (2 + 0.75) / 3 = 0.9167.
        var result = _placer.Place(Cluster(Node("n1")), Request("web").Cpu("1").Memory("2Gi"));

        Assert.Equal("score 92: service spread 1.00, least allocated 0.75", Assert.Single(result.Placements).Reason);
    }

    [Fact]
    public void Rejects_a_negative_weight()
    {
        var error = Assert.Throws<ArgumentException>(() => new Placer([], [new LeastAllocatedScorer(weight: -1)]));
        Assert.Contains("least allocated", error.Message);
    }

    [Fact]
    public void A_plugin_joins_by_composing_a_placer()
    {
        var placer = new Placer([.. Placer.CreateDefault().Filters, new ZoneFilter("a")], Placer.CreateDefault().Scorers);

        var result = placer.Place(Cluster(Node("n1").Label("zone", "a"), Node("n2").Label("zone", "b"), Node("n3")), Request("web").Count(3));

        Assert.Equal("n1=3", Plugin.Spread(result));
    }

    [Fact]
    public void A_rejection_without_reason_is_counted_under_the_filter_name()
    {
        var placer = new Placer([new SilentFilter()], []);

        var result = placer.Place(Cluster(Nodes(2)), Request("web"));

        Assert.Equal("0/2 nodes available: 2 silent", Assert.Single(result.Unplaced).Explanation);
    }

    [Fact]
    public void Out_of_range_scores_are_clamped()
    {
        var placer = new Placer([], [new FixedScorer(double.NaN), new FixedScorer(7)]);

        var placement = Assert.Single(placer.Place(Cluster(Node("n1")), Request("web")).Placements);

        Assert.Equal("score 50: fixed 0.00, fixed 1.00", placement.Reason);
    }

    [Fact]
    public void Without_scorers_the_evaluation_order_decides()
    {
        var placement = Assert.Single(new Placer([], []).Place(Cluster(Nodes(3)), Request("web")).Placements);

        Assert.Equal("no scorers: first feasible node in evaluation order", placement.Reason);
    }

    private sealed class ZoneFilter(string zone) : IFilter
    {
        public string Name => "zone";

        public FilterStatus Filter(PlacementContext ctx, NodeCandidate node) =>
            node.Info.Labels.GetValueOrDefault("zone") == zone ? FilterStatus.Success : FilterStatus.Unresolvable("zone mismatch");
    }

    private sealed class SilentFilter : IFilter
    {
        public string Name => "silent";

        public FilterStatus Filter(PlacementContext ctx, NodeCandidate node) => new(FilterCode.Unschedulable, null);
    }

    private sealed class FixedScorer(double score) : IScorer
    {
        public string Name => "fixed";

        public int Weight => 1;

        public double Score(PlacementContext ctx, NodeCandidate node) => score;
    }
}
