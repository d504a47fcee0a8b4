using Orchestrator.Scheduler.Scorers;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class ServiceSpreadScorerTests
{
    // Scores node n1 for a replica of default/web; n2 is there to hold replicas elsewhere.
    public static TheoryData<string, ClusterBuilder, double> Cases => new()
    {
        { "no replicas anywhere", Cluster(Node("n1"), Node("n2")), 1.0 },
        { "n1 holds the only replica", Cluster(Node("n1"), Node("n2")).With(Replica("web").On("n1")), 0.0 },
        { "n1 empty while n2 has one", Cluster(Node("n1"), Node("n2")).With(Replica("web").On("n2")), 1.0 },
        { "one on n1 and two on n2", Cluster(Node("n1"), Node("n2")).With(Replica("web").On("n1"), Replica("web").On("n2"), Replica("web").Slot(2).On("n2")), 0.5 },
        { "as many as the busiest node", Cluster(Node("n1"), Node("n2")).With(Replica("web").On("n1"), Replica("web").Slot(2).On("n2")), 0.0 },
        { "other services do not count", Cluster(Node("n1"), Node("n2")).With(Replica("db").On("n1"), Replica("web").On("n2")), 1.0 },
        { "same name in another namespace does not count", Cluster(Node("n1"), Node("n2")).With(Replica("web").Namespace("shop").On("n1")), 1.0 },
        { "replicas on unknown nodes do not count", Cluster(Node("n1"), Node("n2")).With(Replica("web").On("gone")), 1.0 },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Prefers_fewer_replicas_of_the_service(string name, ClusterBuilder cluster, double expected) =>
        Assert.Equal(expected, Plugin.Score(new ServiceSpreadScorer(), cluster, Request("web")), precision: 9);
}
