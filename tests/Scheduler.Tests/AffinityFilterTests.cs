using Orchestrator.Scheduler.Filters;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class AffinityFilterTests
{
    private const FilterCode Pass = FilterCode.Success;
    private const FilterCode Fail = FilterCode.Unschedulable;

    // Node n1 is scored; n2 holds replicas elsewhere. Both are in zone a unless the case says otherwise.
    public static TheoryData<string, ClusterBuilder, RequestBuilder, FilterCode, string?> RequiredAffinity => new()
    {
        { "matching replica on the node", Cluster(Node("n1"), Node("n2")).With(Replica("cache").Label("app", "cache")), Request("web").Affinity("app", "cache", "node.name"), Pass, null },
        { "matching replica on another node", Cluster(Node("n1"), Node("n2")).With(Replica("cache").On("n2").Label("app", "cache")), Request("web").Affinity("app", "cache", "node.name"), Fail, Reasons.AffinityMismatch },
        { "matching replica in the same zone", Cluster(Node("n1").Zone("a"), Node("n2").Zone("a")).With(Replica("cache").On("n2").Label("app", "cache")), Request("web").Affinity("app", "cache", "zone"), Pass, null },
        { "matching replica in another zone", Cluster(Node("n1").Zone("a"), Node("n2").Zone("b")).With(Replica("cache").On("n2").Label("app", "cache")), Request("web").Affinity("app", "cache", "zone"), Fail, Reasons.AffinityMismatch },
        { "node without the topology label", Cluster(Node("n1"), Node("n2").Zone("a")).With(Replica("cache").On("n2").Label("app", "cache")), Request("web").Affinity("app", "cache", "zone"), Fail, Reasons.AffinityMismatch },
        { "label value must match", Cluster(Node("n1")).With(Replica("cache").Label("app", "db")), Request("web").Affinity("app", "cache", "node.name"), Fail, Reasons.AffinityMismatch },
        { "other namespace does not count", Cluster(Node("n1")).With(Replica("cache").Namespace("shop").Label("app", "cache")), Request("web").Affinity("app", "cache", "node.name"), Fail, Reasons.AffinityMismatch },
        { "first replica of a self-affine service still needs a domain", Cluster(Node("n1")), Request("web").Label("app", "web").Affinity("app", "web", "zone").Count(1), Fail, Reasons.AffinityMismatch },
        { "first replica of a self-affine service on a labelled node", Cluster(Node("n1").Zone("a")), Request("web").Label("app", "web").Affinity("app", "web", "zone"), Pass, null },
    };

    [Theory, MemberData(nameof(RequiredAffinity))]
    public void Requires_a_matching_replica_in_the_domain(string name, ClusterBuilder cluster, RequestBuilder request, FilterCode code, string? reason) =>
        Assert.Equal(new FilterStatus(code, reason), Plugin.Filter(new AffinityFilter(), cluster, request));

    public static TheoryData<string, ClusterBuilder, RequestBuilder, FilterCode, string?> RequiredAntiAffinity => new()
    {
        { "nothing matching anywhere", Cluster(Node("n1")), Request("web").AntiAffinity("app", "web", "node.name"), Pass, null },
        { "matching replica on the node", Cluster(Node("n1")).With(Replica("web").Label("app", "web")), Request("web").AntiAffinity("app", "web", "node.name"), Fail, Reasons.AntiAffinityConflict },
        { "matching replica on another node", Cluster(Node("n1"), Node("n2")).With(Replica("web").On("n2").Label("app", "web")), Request("web").AntiAffinity("app", "web", "node.name"), Pass, null },
        { "matching replica in the same zone", Cluster(Node("n1").Zone("a"), Node("n2").Zone("a")).With(Replica("web").On("n2").Label("app", "web")), Request("web").AntiAffinity("app", "web", "zone"), Fail, Reasons.AntiAffinityConflict },
        { "node without the label is in no domain", Cluster(Node("n1"), Node("n2").Zone("a")).With(Replica("web").On("n2").Label("app", "web")), Request("web").AntiAffinity("app", "web", "zone"), Pass, null },
        { "other labels do not conflict", Cluster(Node("n1")).With(Replica("db").Label("app", "db")), Request("web").AntiAffinity("app", "web", "node.name"), Pass, null },
    };

    [Theory, MemberData(nameof(RequiredAntiAffinity))]
    public void Refuses_a_domain_with_a_matching_replica(string name, ClusterBuilder cluster, RequestBuilder request, FilterCode code, string? reason) =>
        Assert.Equal(new FilterStatus(code, reason), Plugin.Filter(new AntiAffinityFilter(), cluster, request));
}
