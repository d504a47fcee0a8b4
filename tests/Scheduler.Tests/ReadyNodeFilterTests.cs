using Orchestrator.Scheduler.Filters;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class ReadyNodeFilterTests
{
    public static TheoryData<string, NodeBuilder, FilterCode, string?> Cases => new()
    {
        { "ready node passes", Node("n1"), FilterCode.Success, null },
        { "not ready node is rejected for good", Node("n1").NotReady(), FilterCode.UnschedulableAndUnresolvable, Reasons.NodeNotReady },
        { "down node counts as not ready", Node("n1").Down(), FilterCode.UnschedulableAndUnresolvable, Reasons.NodeNotReady },
        { "cordoned ready node is rejected for good", Node("n1").Cordoned(), FilterCode.UnschedulableAndUnresolvable, Reasons.NodeCordoned },
        { "not ready and cordoned says not ready", Node("n1").NotReady().Cordoned(), FilterCode.UnschedulableAndUnresolvable, Reasons.NodeNotReady },
        { "labels do not matter", Node("n1").Label("zone", "a"), FilterCode.Success, null },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Filters_on_state_and_cordon(string name, NodeBuilder node, FilterCode code, string? reason) =>
        Assert.Equal(new FilterStatus(code, reason), Plugin.Filter(new ReadyNodeFilter(), Cluster(node), Request("web")));
}
