using Orchestrator.Scheduler.Filters;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class ResourceFitFilterTests
{
    private const FilterCode Fits = FilterCode.Success;
    private const FilterCode Short = FilterCode.Unschedulable;

    // Node n1 has 4 cpu and 8Gi unless the case says otherwise.
    public static TheoryData<string, ClusterBuilder, RequestBuilder, FilterCode, string?> Cases => new()
    {
        { "empty node takes a small request", Cluster(Node("n1")), Request("web").Cpu("1").Memory("1Gi"), Fits, null },
        { "request equal to capacity fits", Cluster(Node("n1")), Request("web").Cpu("4").Memory("8Gi"), Fits, null },
        { "one millicore over capacity", Cluster(Node("n1")), Request("web").Cpu("4001m"), Short, Reasons.InsufficientCpu },
        { "one byte over memory", Cluster(Node("n1")), Request("web").Memory("8589934593"), Short, Reasons.InsufficientMemory },
        { "allocated plus request fills the node exactly",
            Cluster(Node("n1")).With(Replica("db").Cpu("3").Memory("6Gi")), Request("web").Cpu("1").Memory("2Gi"), Fits, null },
        { "allocated plus request exceeds cpu",
            Cluster(Node("n1")).With(Replica("db").Cpu("3500m")), Request("web").Cpu("1"), Short, Reasons.InsufficientCpu },
        { "allocated plus request exceeds memory",
            Cluster(Node("n1")).With(Replica("db").Memory("7Gi")), Request("web").Memory("2Gi"), Short, Reasons.InsufficientMemory },
        { "short of both says cpu",
            Cluster(Node("n1")).With(Replica("db").Cpu("4").Memory("8Gi")), Request("web").Cpu("1").Memory("1Gi"), Short, Reasons.InsufficientCpu },
        { "several replicas add up",
            Cluster(Node("n1")).With(Replica("db").Cpu("2"), Replica("db").Slot(2).Cpu("2")), Request("web").Cpu("100m"), Short, Reasons.InsufficientCpu },
        { "replicas of the same service count",
            Cluster(Node("n1")).With(Replica("web").Memory("8Gi")), Request("web").Memory("1Mi"), Short, Reasons.InsufficientMemory },
        { "replicas of other namespaces count",
            Cluster(Node("n1")).With(Replica("web").Namespace("shop").Cpu("4")), Request("web").Cpu("1"), Short, Reasons.InsufficientCpu },
        { "replicas on other nodes do not count",
            Cluster(Node("n1"), Node("n2")).With(Replica("db").On("n2").Cpu("4").Memory("8Gi")), Request("web").Cpu("4").Memory("8Gi"), Fits, null },
        { "replicas on unknown nodes are ignored",
            Cluster(Node("n1")).With(Replica("db").On("gone").Cpu("4")), Request("web").Cpu("4"), Fits, null },
        { "zero request fits a full node",
            Cluster(Node("n1")).With(Replica("db").Cpu("4").Memory("8Gi")), Request("web"), Fits, null },
        { "zero request fits an overcommitted node",
            Cluster(Node("n1")).With(Replica("db").Cpu("5").Memory("9Gi")), Request("web"), Fits, null },
        { "zero cpu with memory that fits passes on a cpu-full node",
            Cluster(Node("n1")).With(Replica("db").Cpu("4")), Request("web").Memory("1Gi"), Fits, null },
        { "node without cpu rejects any cpu", Cluster(Node("n1").Cpu("0")), Request("web").Cpu("1m"), Short, Reasons.InsufficientCpu },
        { "node without memory rejects any memory", Cluster(Node("n1").Memory("0")), Request("web").Memory("1"), Short, Reasons.InsufficientMemory },
        { "huge capacity does not overflow",
            Cluster(Node("n1").Cpu("4000000000").Memory("4000Ti")).With(Replica("db").Cpu("3999999999")), Request("web").Cpu("1"), Fits, null },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Checks_cpu_and_memory(string name, ClusterBuilder cluster, RequestBuilder request, FilterCode code, string? reason) =>
        Assert.Equal(new FilterStatus(code, reason), Plugin.Filter(new ResourceFitFilter(), cluster, request));
}
