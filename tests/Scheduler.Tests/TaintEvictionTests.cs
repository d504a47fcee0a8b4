namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class TaintEvictionTests
{
    public static TheoryData<string, NodeBuilder, RequestBuilder, string?> Cases => new()
    {
        { "untainted node keeps replicas", Node("n1"), Request("web"), null },
        { "NoSchedule does not evict", Node("n1").Taint("dedicated", "gpu", "NoSchedule"), Request("web"), null },
        { "PreferNoSchedule does not evict", Node("n1").Taint("spot", "", "PreferNoSchedule"), Request("web"), null },
        { "untolerated NoExecute evicts", Node("n1").Taint("maintenance", "", "NoExecute"), Request("web"), "maintenance:NoExecute" },
        { "tolerated NoExecute keeps", Node("n1").Taint("maintenance", "", "NoExecute"), Request("web").TolerateExists("maintenance", "NoExecute"), null },
        { "toleration for NoSchedule only does not cover NoExecute", Node("n1").Taint("m", "1", "NoExecute"), Request("web").Tolerate("m", "1", "NoSchedule"), "m=1:NoExecute" },
        { "the first untolerated NoExecute is named", Node("n1").Taint("a", "", "NoExecute").Taint("b", "", "NoExecute"), Request("web").TolerateExists("a"), "b:NoExecute" },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Names_the_taint_that_evicts(string name, NodeBuilder node, RequestBuilder request, string? taint) =>
        Assert.Equal(taint, TaintEviction.MustEvict(node.Build(), request.Build().Placement)?.ToString());

    [Fact]
    public void No_placement_tolerates_nothing() =>
        Assert.NotNull(TaintEviction.MustEvict(Node("n1").Taint("m", "", "NoExecute").Build(), null));
}
