using Orchestrator.Scheduler.Filters;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class NodeSelectorFilterTests
{
    private const FilterCode Pass = FilterCode.Success;
    private const FilterCode Never = FilterCode.UnschedulableAndUnresolvable;

    public static TheoryData<string, NodeBuilder, RequestBuilder, FilterCode, string?> Cases => new()
    {
        { "no selector passes any node", Node("n1"), Request("web"), Pass, null },
        { "matching label passes", Node("n1").Zone("a"), Request("web").NodeSelector("zone", "a"), Pass, null },
        { "other value is rejected", Node("n1").Zone("b"), Request("web").NodeSelector("zone", "a"), Never, Reasons.NodeSelectorMismatch },
        { "missing label is rejected", Node("n1"), Request("web").NodeSelector("zone", "a"), Never, Reasons.NodeSelectorMismatch },
        { "every label must match", Node("n1").Zone("a"), Request("web").NodeSelector("zone", "a").NodeSelector("disk", "ssd"), Never, Reasons.NodeSelectorMismatch },
        { "node.name selects one node", Node("n1"), Request("web").NodeSelector("node.name", "n1"), Pass, null },
        { "In holds for a listed value", Node("n1").Zone("b"), Request("web").Constraint("zone", "In", "a", "b"), Pass, null },
        { "In fails for another value", Node("n1").Zone("c"), Request("web").Constraint("zone", "In", "a", "b"), Never, Reasons.ConstraintsMismatch },
        { "In fails without the label", Node("n1"), Request("web").Constraint("zone", "In", "a"), Never, Reasons.ConstraintsMismatch },
        { "NotIn holds for another value", Node("n1").Zone("c"), Request("web").Constraint("zone", "NotIn", "a"), Pass, null },
        { "NotIn holds without the label", Node("n1"), Request("web").Constraint("zone", "NotIn", "a"), Pass, null },
        { "NotIn fails for a listed value", Node("n1").Zone("a"), Request("web").Constraint("zone", "NotIn", "a"), Never, Reasons.ConstraintsMismatch },
        { "Exists holds with the label", Node("n1").Label("gpu", ""), Request("web").Constraint("gpu", "Exists"), Pass, null },
        { "Exists fails without it", Node("n1"), Request("web").Constraint("gpu", "Exists"), Never, Reasons.ConstraintsMismatch },
        { "DoesNotExist holds without it", Node("n1"), Request("web").Constraint("gpu", "DoesNotExist"), Pass, null },
        { "DoesNotExist fails with it", Node("n1").Label("gpu", "a100"), Request("web").Constraint("gpu", "DoesNotExist"), Never, Reasons.ConstraintsMismatch },
        { "node.name NotIn keeps a node out", Node("n1"), Request("web").Constraint("node.name", "NotIn", "n1"), Never, Reasons.ConstraintsMismatch },
        { "selector is reported before constraints", Node("n1"), Request("web").NodeSelector("zone", "a").Constraint("gpu", "Exists"), Never, Reasons.NodeSelectorMismatch },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Matches_labels_and_expressions(string name, NodeBuilder node, RequestBuilder request, FilterCode code, string? reason) =>
        Assert.Equal(new FilterStatus(code, reason), Plugin.Filter(new NodeSelectorFilter(), Cluster(node), request));
}
