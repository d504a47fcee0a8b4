using Orchestrator.Scheduler.Filters;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class MaxPerNodeFilterTests
{
    public static TheoryData<string, ClusterBuilder, RequestBuilder, FilterCode, string?> Cases => new()
    {
        { "no limit", Cluster(Node("n1")).With(Replica("web"), Replica("web").Slot(2)), Request("web"), FilterCode.Success, null },
        { "below the limit", Cluster(Node("n1")).With(Replica("web")), Request("web").MaxPerNode(2), FilterCode.Success, null },
        { "at the limit", Cluster(Node("n1")).With(Replica("web"), Replica("web").Slot(2)), Request("web").MaxPerNode(2), FilterCode.Unschedulable, Reasons.MaxPerNodeReached },
        { "other services do not count", Cluster(Node("n1")).With(Replica("db")), Request("web").MaxPerNode(1), FilterCode.Success, null },
        { "other namespaces do not count", Cluster(Node("n1")).With(Replica("web").Namespace("shop")), Request("web").MaxPerNode(1), FilterCode.Success, null },
        { "replicas on other nodes do not count", Cluster(Node("n1"), Node("n2")).With(Replica("web").On("n2")), Request("web").MaxPerNode(1), FilterCode.Success, null },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Limits_replicas_per_node(string name, ClusterBuilder cluster, RequestBuilder request, FilterCode code, string? reason) =>
        Assert.Equal(new FilterStatus(code, reason), Plugin.Filter(new MaxPerNodeFilter(), cluster, request));
}
