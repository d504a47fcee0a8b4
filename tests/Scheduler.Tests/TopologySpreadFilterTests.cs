using Orchestrator.Scheduler.Filters;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class TopologySpreadFilterTests
{
    private const FilterCode Pass = FilterCode.Success;

    // Node n1 (zone a) is asked; n2 is zone b unless the case says otherwise.
    public static TheoryData<string, ClusterBuilder, RequestBuilder, FilterCode, string?> Cases => new()
    {
        { "empty zones", Cluster(Node("n1").Zone("a"), Node("n2").Zone("b")), Request("web").Spread("zone"), Pass, null },
        { "one ahead is the limit with maxSkew 1",
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("b")).With(Replica("web").On("n1")), Request("web").Spread("zone"), FilterCode.Unschedulable, Reasons.TopologySpreadSkew },
        { "maxSkew 2 allows one more",
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("b")).With(Replica("web").On("n1")), Request("web").Spread("zone", maxSkew: 2), Pass, null },
        { "behind the other zone",
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("b")).With(Replica("web").On("n2")), Request("web").Spread("zone"), Pass, null },
        { "node without the key is rejected", Cluster(Node("n1"), Node("n2").Zone("b")), Request("web").Spread("zone"), FilterCode.UnschedulableAndUnresolvable, Reasons.MissingTopologyLabel },
        { "other services do not count",
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("b")).With(Replica("db").On("n1"), Replica("db").On("n1").Slot(2)), Request("web").Spread("zone"), Pass, null },
        { "a zone whose only node is down does not hold the minimum",
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("b").Down()).With(Replica("web").On("n1")), Request("web").Spread("zone"), Pass, null },
        { "a zone outside the node selector does not hold the minimum",
            Cluster(Node("n1").Zone("a").Label("disk", "ssd"), Node("n2").Zone("b")).With(Replica("web").On("n1")), Request("web").NodeSelector("disk", "ssd").Spread("zone"), Pass, null },
        { "a zone with only untolerated taints does not hold the minimum",
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("b").Taint("dedicated", "gpu", "NoSchedule")).With(Replica("web").On("n1")), Request("web").Spread("zone"), Pass, null },
        { "node.name spreads per node",
            Cluster(Node("n1"), Node("n2")).With(Replica("web").On("n1")), Request("web").Spread("node.name"), FilterCode.Unschedulable, Reasons.TopologySpreadSkew },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Keeps_skew_within_max(string name, ClusterBuilder cluster, RequestBuilder request, FilterCode code, string? reason) =>
        Assert.Equal(new FilterStatus(code, reason), Plugin.Filter(new TopologySpreadFilter(), cluster, request));
}
