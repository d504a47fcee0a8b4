namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class ExplanationTests
{
    private readonly Placer _placer = Placer.CreateDefault();

    public static TheoryData<string, ClusterBuilder, RequestBuilder, string> Cases => new()
    {
        { "no nodes at all", Cluster(), Request("web"), "0/0 nodes available: no nodes registered" },
        { "most common reason first",
            Cluster(Node("n1").NotReady(), Node("n2").Memory("1Gi"), Node("n3").Memory("1Gi"), Node("n4").Down(), Node("n5").Memory("1Gi")),
            Request("web").Memory("2Gi"), "0/5 nodes available: 3 insufficient memory, 2 node not ready" },
        { "equal counts sorted by reason",
            Cluster(Node("n1").Cordoned(), Node("n2").Cpu("1")), Request("web").Cpu("2"), "0/2 nodes available: 1 insufficient cpu, 1 node cordoned" },
        { "each node counted once, under its first rejection",
            Cluster(Node("n1").NotReady().Cpu("1")), Request("web").Cpu("2"), "0/1 nodes available: 1 node not ready" },
        { "host port names the port",
            Cluster(Nodes(2)).With(Replica("db").On("n1").HostPort(8080), Replica("db").On("n2").HostPort(8080)),
            Request("web").HostPort(8080), "0/2 nodes available: 2 host port in use: 8080/tcp" },
        { "a port another program holds names the node",
            Cluster(Node("vm").PortHeldByOtherProgram(2379)), Request("etcd").HostPort(2379),
            "0/1 nodes available: 1 host port in use by another program: 2379/tcp on vm" },
        { "selector and taints, as kube-scheduler says it",
            Cluster(Node("n1").Zone("b"), Node("n2").Zone("b"), Node("n3").Zone("b"), Node("n4").Zone("a").Taint("dedicated", "gpu", "NoSchedule"), Node("n5").Zone("a").Taint("dedicated", "gpu", "NoSchedule")),
            Request("web").NodeSelector("zone", "a"), "0/5 nodes available: 3 did not match node selector, 2 had untolerated taint dedicated=gpu" },
        { "constraints named apart from the selector",
            Cluster(Node("n1").Zone("a"), Node("n2")), Request("web").Constraint("zone", "In", "b"), "0/2 nodes available: 2 did not match constraints" },
        { "spread, anti-affinity and missing labels",
            Cluster(Node("n1").Zone("a"), Node("n2").Zone("b"), Node("n3")).With(Replica("web").On("n1"), Replica("db").On("n2").Label("app", "db")),
            Request("web").Spread("zone").AntiAffinity("app", "db", "zone"),
            "0/3 nodes available: 1 conflicted with anti-affinity, 1 missing topology spread label, 1 would exceed topology spread skew" },
        { "required affinity with nothing to match",
            Cluster(Nodes(2)), Request("web").Affinity("app", "cache", "node.name"), "0/2 nodes available: 2 did not match affinity" },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Explains_why_nothing_fits(string name, ClusterBuilder cluster, RequestBuilder request, string expected) =>
        Assert.Equal(expected, Assert.Single(_placer.Place(cluster, request).Unplaced).Explanation);

    [Fact]
    public void Slots_after_the_first_unplaced_share_its_explanation()
    {
        var result = _placer.Place(Cluster(Nodes(2, cpu: "1")), Request("web").Cpu("1").Count(5));

        Assert.Equal(2, result.Placements.Count);
        Assert.All(result.Unplaced, u => Assert.Equal("0/2 nodes available: 2 insufficient cpu", u.Explanation));
        Assert.Equal([3, 4, 5], result.Unplaced.Select(u => u.Slot));
    }

    [Fact]
    public void Format_orders_by_count_then_reason()
    {
        var rejections = new Dictionary<string, int> { ["b"] = 1, ["a"] = 1, ["c"] = 4 };

        Assert.Equal("0/6 nodes available: 4 c, 1 a, 1 b", UnplacedExplanation.Format(6, rejections));
    }
}
