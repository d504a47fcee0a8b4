using Orchestrator.Scheduler.Filters;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class TaintsFilterTests
{
    private const FilterCode Pass = FilterCode.Success;
    private const FilterCode Never = FilterCode.UnschedulableAndUnresolvable;

    public static TheoryData<string, NodeBuilder, RequestBuilder, FilterCode, string?> Cases => new()
    {
        { "untainted node passes", Node("n1"), Request("web"), Pass, null },
        { "NoSchedule keeps out", Node("n1").Taint("dedicated", "gpu", "NoSchedule"), Request("web"), Never, "had untolerated taint dedicated=gpu" },
        { "NoExecute keeps out", Node("n1").Taint("maintenance", "", "NoExecute"), Request("web"), Never, "had untolerated taint maintenance" },
        { "PreferNoSchedule only scores", Node("n1").Taint("spot", "true", "PreferNoSchedule"), Request("web"), Pass, null },
        { "Equal toleration with the effect", Node("n1").Taint("dedicated", "gpu", "NoSchedule"), Request("web").Tolerate("dedicated", "gpu", "NoSchedule"), Pass, null },
        { "Equal toleration for every effect", Node("n1").Taint("dedicated", "gpu", "NoExecute"), Request("web").Tolerate("dedicated", "gpu"), Pass, null },
        { "Equal toleration with another value", Node("n1").Taint("dedicated", "gpu", "NoSchedule"), Request("web").Tolerate("dedicated", "db"), Never, "had untolerated taint dedicated=gpu" },
        { "toleration for another effect", Node("n1").Taint("dedicated", "gpu", "NoExecute"), Request("web").Tolerate("dedicated", "gpu", "NoSchedule"), Never, "had untolerated taint dedicated=gpu" },
        { "Exists toleration matches any value", Node("n1").Taint("dedicated", "gpu", "NoSchedule"), Request("web").TolerateExists("dedicated"), Pass, null },
        { "Exists without key tolerates everything", Node("n1").Taint("a", "1", "NoSchedule").Taint("b", "", "NoExecute"), Request("web").TolerateExists(""), Pass, null },
        { "names the first untolerated taint", Node("n1").Taint("a", "1", "NoSchedule").Taint("b", "2", "NoSchedule"), Request("web").Tolerate("a", "1"), Never, "had untolerated taint b=2" },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Keeps_out_what_is_not_tolerated(string name, NodeBuilder node, RequestBuilder request, FilterCode code, string? reason) =>
        Assert.Equal(new FilterStatus(code, reason), Plugin.Filter(new TaintsFilter(), Cluster(node), request));
}
