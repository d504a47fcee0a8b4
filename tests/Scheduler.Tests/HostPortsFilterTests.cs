using Orchestrator.Scheduler.Filters;

namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class HostPortsFilterTests
{
    private const FilterCode Free = FilterCode.Success;
    private const FilterCode Taken = FilterCode.Unschedulable;
    private const FilterCode HeldOutside = FilterCode.UnschedulableAndUnresolvable;

    public static TheoryData<string, ClusterBuilder, RequestBuilder, FilterCode, string?> Cases => new()
    {
        { "no host port asked passes on a busy node", Cluster(Node("n1")).With(Replica("db").HostPort(80)), Request("web"), Free, null },
        { "free port passes", Cluster(Node("n1")), Request("web").HostPort(80), Free, null },
        { "same port and protocol collides", Cluster(Node("n1")).With(Replica("db").HostPort(80)), Request("web").HostPort(80), Taken, "host port in use: 80/tcp" },
        { "same service collides with itself", Cluster(Node("n1")).With(Replica("web").HostPort(80)), Request("web").HostPort(80), Taken, "host port in use: 80/tcp" },
        { "udp and tcp on one number do not collide", Cluster(Node("n1")).With(Replica("dns").HostPort(53, "udp")), Request("web").HostPort(53, "tcp"), Free, null },
        { "udp collides with udp", Cluster(Node("n1")).With(Replica("dns").HostPort(53, "udp")), Request("dns2").HostPort(53, "udp"), Taken, "host port in use: 53/udp" },
        { "protocol case is ignored", Cluster(Node("n1")).With(Replica("db").HostPort(80, "TCP")), Request("web").HostPort(80, "tcp"), Taken, "host port in use: 80/tcp" },
        { "empty protocol means tcp", Cluster(Node("n1")).With(Replica("db").HostPort(80, "")), Request("web").HostPort(80), Taken, "host port in use: 80/tcp" },
        { "port on another node does not collide", Cluster(Node("n1"), Node("n2")).With(Replica("db").On("n2").HostPort(80)), Request("web").HostPort(80), Free, null },
        { "names the port that collides", Cluster(Node("n1")).With(Replica("db").HostPort(443)), Request("web").HostPort(80).HostPort(443), Taken, "host port in use: 443/tcp" },
        { "dynamic ports never collide", Cluster(Node("n1")).With(Replica("db").DynamicPort(80)), Request("web").DynamicPort(80), Free, null },
        { "dynamic port asked passes next to a fixed one", Cluster(Node("n1")).With(Replica("db").HostPort(80)), Request("web").DynamicPort(80), Free, null },
        { "port held by another program is refused, naming port and node", Cluster(Node("n1").PortHeldByOtherProgram(2379)), Request("etcd").HostPort(2379),
            HeldOutside, "host port in use by another program: 2379/tcp on n1" },
        { "other program's udp port leaves tcp free", Cluster(Node("n1").PortHeldByOtherProgram(53, "udp")), Request("web").HostPort(53), Free, null },
        { "other program's udp port refuses udp", Cluster(Node("n1").PortHeldByOtherProgram(53, "udp")), Request("dns").HostPort(53, "UDP"),
            HeldOutside, "host port in use by another program: 53/udp on n1" },
        { "other program's other port does not matter", Cluster(Node("n1").PortHeldByOtherProgram(2380)), Request("etcd").HostPort(2379), Free, null },
        { "dynamic port ignores other programs", Cluster(Node("n1").PortHeldByOtherProgram(80)), Request("web").DynamicPort(80), Free, null },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Checks_host_ports(string name, ClusterBuilder cluster, RequestBuilder request, FilterCode code, string? reason) =>
        Assert.Equal(new FilterStatus(code, reason), Plugin.Filter(new HostPortsFilter(), cluster, request));

    [Fact]
    public void Reason_starts_with_the_constant() =>
        Assert.StartsWith(Reasons.HostPortInUse, Plugin.Filter(new HostPortsFilter(), Cluster(Node("n1")).With(Replica("db").HostPort(8080)), Request("web").HostPort(8080)).Reason);
}
