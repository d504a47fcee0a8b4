using Orchestrator.Scheduler.Scorers;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class LeastAllocatedScorerTests
{
    // Node n1 has 4 cpu and 8Gi unless the case says otherwise; the score is the mean free fraction after placing.
    public static TheoryData<string, ClusterBuilder, RequestBuilder, double> Cases => new()
    {
        { "empty node and empty request", Cluster(Node("n1")), Request("web"), 1.0 },
        { "request takes half the cpu and a quarter of memory", Cluster(Node("n1")), Request("web").Cpu("2").Memory("2Gi"), (0.5 + 0.75) / 2 },
        { "allocated counts with the request",
            Cluster(Node("n1")).With(Replica("db").Cpu("1").Memory("4Gi")), Request("web").Cpu("1"), (0.5 + 0.5) / 2 },
        { "request filling the node scores 0", Cluster(Node("n1")), Request("web").Cpu("4").Memory("8Gi"), 0.0 },
        { "overcommitted node stays at 0", Cluster(Node("n1")).With(Replica("db").Cpu("5").Memory("9Gi")), Request("web"), 0.0 },
        { "a resource the node lacks counts as used", Cluster(Node("n1").Cpu("0")), Request("web"), 0.5 },
        { "bigger node scores higher for the same request", Cluster(Node("n1").Cpu("16").Memory("32Gi")), Request("web").Cpu("4").Memory("8Gi"), 0.75 },
        { "replicas on other nodes do not count", Cluster(Node("n1"), Node("n2")).With(Replica("db").On("n2").Cpu("4")), Request("web"), 1.0 },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Scores_free_fraction(string name, ClusterBuilder cluster, RequestBuilder request, double expected) =>
        Assert.Equal(expected, Plugin.Score(new LeastAllocatedScorer(), cluster, request), precision: 9);
}
