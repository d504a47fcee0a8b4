using Orchestrator.Scheduler.Scorers;

namespace Orchestrator.Scheduler.Tests;

/// <summary>The scorers of the placement model, each scoring node n1 (4 cpu, 8Gi) of a small cluster.</summary>
[Trait("Category", "Unit")]
public sealed class PlacementScorerTests
{
    public static TheoryData<string, IScorer, ClusterBuilder, RequestBuilder, double> Cases => new()
    {
        { "binpack: empty node and empty request", new BinpackScorer(), Cluster(Node("n1")), Request("web").Binpack(), 0.0 },
        { "binpack: half the cpu, a quarter of memory", new BinpackScorer(), Cluster(Node("n1")), Request("web").Binpack().Cpu("2").Memory("2Gi"), (0.5 + 0.25) / 2 },
        { "binpack: allocation counts", new BinpackScorer(), Cluster(Node("n1")).With(Replica("db").Cpu("3").Memory("6Gi")), Request("web").Binpack().Cpu("1").Memory("2Gi"), 1.0 },

        { "preferred affinity: match in the domain", PreferredAffinityScorer.Affinity(),
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("a")).With(Replica("cache").On("n2").Label("app", "cache")), Request("web").PreferAffinity(50, "app", "cache", "zone"), 1.0 },
        { "preferred affinity: no match", PreferredAffinityScorer.Affinity(),
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("b")).With(Replica("cache").On("n2").Label("app", "cache")), Request("web").PreferAffinity(50, "app", "cache", "zone"), 0.0 },
        { "preferred affinity: weighted share of the terms met", PreferredAffinityScorer.Affinity(),
            Cluster(Node("n1")).With(Replica("cache").Label("app", "cache")), Request("web").PreferAffinity(75, "app", "cache", "node.name").PreferAffinity(25, "app", "db", "node.name"), 0.75 },
        { "preferred anti-affinity: match in the domain", PreferredAffinityScorer.AntiAffinity(),
            Cluster(Node("n1")).With(Replica("web").Label("app", "web")), Request("web").PreferAntiAffinity(100, "app", "web", "node.name"), 0.0 },
        { "preferred anti-affinity: none in the domain", PreferredAffinityScorer.AntiAffinity(),
            Cluster(Node("n1"), Node("n2")).With(Replica("web").On("n2").Label("app", "web")), Request("web").PreferAntiAffinity(100, "app", "web", "node.name"), 1.0 },

        { "topology spread: at the minimum", new TopologySpreadScorer(),
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("b")), Request("web").Spread("zone"), 1.0 },
        { "topology spread: one above with maxSkew 1", new TopologySpreadScorer(),
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("b")).With(Replica("web").On("n1")), Request("web").Spread("zone"), 0.5 },

        { "taint toleration: no taint", new TaintTolerationScorer(), Cluster(Node("n1"), Node("n2").Taint("spot", "", "PreferNoSchedule")), Request("web"), 1.0 },
        { "taint toleration: one PreferNoSchedule", new TaintTolerationScorer(), Cluster(Node("n1").Taint("spot", "", "PreferNoSchedule")), Request("web"), 0.5 },
        { "taint toleration: tolerated", new TaintTolerationScorer(), Cluster(Node("n1").Taint("spot", "", "PreferNoSchedule")), Request("web").TolerateExists("spot"), 1.0 },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Scores(string name, IScorer scorer, ClusterBuilder cluster, RequestBuilder request, double expected) =>
        Assert.Equal(expected, Plugin.Score(scorer, cluster, request), precision: 9);

    public static TheoryData<string, IScorer, RequestBuilder, bool> Activity => new()
    {
        { "least allocated for spread", new LeastAllocatedScorer(), Request("web"), true },
        { "least allocated not for binpack", new LeastAllocatedScorer(), Request("web").Binpack(), false },
        { "binpack for binpack", new BinpackScorer(), Request("web").Binpack(), true },
        { "binpack not for spread", new BinpackScorer(), Request("web"), false },
        { "service spread not for binpack", new ServiceSpreadScorer(), Request("web").Binpack(), false },
        { "preferred affinity without terms", PreferredAffinityScorer.Affinity(), Request("web"), false },
        { "topology spread without constraints", new TopologySpreadScorer(), Request("web"), false },
        { "taint toleration without PreferNoSchedule nodes", new TaintTolerationScorer(), Request("web"), false },
    };

    [Theory, MemberData(nameof(Activity))]
    public void Speaks_only_when_it_has_an_opinion(string name, IScorer scorer, RequestBuilder request, bool active) =>
        Assert.Equal(active, scorer.IsActive(PlacementContext.Create(Cluster(Node("n1")), request)));
}
