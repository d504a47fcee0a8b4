using System.Net;
using System.Net.Sockets;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class HostPortsInUseTests
{
    private static ListeningPort Tcp(int port) => new() { Port = port, Protocol = "tcp" };
    private static ListeningPort Udp(int port) => new() { Port = port, Protocol = "udp" };

    // Lines as the kernel writes them (trailing columns shortened): 0A is LISTEN, 01 ESTABLISHED, 07 an unconnected UDP socket.
    private const string Tcp4 = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000:094B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1
           1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1002 1
           2: 0100007F:094B 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 1003 1
           3: garbage
        """;
    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000000000000:1B58 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1
        """;
    private const string Udp4 = """
           sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
          10: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 3001 2 0 0
          11: 0F00000A:A1B2 08080808:0035 01 00000000:00000000 00:00000000 00000000     0        0 3002 2 0 0
        """;

    [Fact]
    public void Reads_listening_tcp_and_bound_udp_sockets_only()
    {
        Assert.Equal([Tcp(2379), Tcp(8080)], HostPortsInUse.Parse(Tcp4, "tcp"));
        Assert.Equal([Tcp(7000)], HostPortsInUse.Parse(Tcp6, "tcp"));
        Assert.Equal([Udp(53)], HostPortsInUse.Parse(Udp4, "udp"));
    }

    [Fact]
    public void Leaves_out_the_clusters_own_ports_and_reports_each_once_lowest_first()
    {
        var bound = HostPortsInUse.Parse(Tcp4, "tcp").Concat(HostPortsInUse.Parse(Tcp4, "tcp")).Concat(HostPortsInUse.Parse(Udp4, "udp"));
        var published = Container("c1").Build() with { Ports = [new PortBinding { ContainerPort = 80, HostPort = 8080, Protocol = "tcp" }] };

        var report = HostPortsInUse.Report(bound, HostPortsInUse.Ours([published], []));

        Assert.Equal([Udp(53), Tcp(2379)], report);
        // A fixed host port of an assigned replica is ours too, even before its container exists.
        Assert.Equal([Udp(53)], HostPortsInUse.Report(bound, HostPortsInUse.Ours([published], [Replica("r1").Port(2379, hostPort: 2379)])));
        // So is the IPv6 twin of a dynamic port, which the engine may have bound on another number.
        var twin = Container("c2").Build() with { Published = [Tcp(2379)] };
        Assert.Equal([Udp(53), Tcp(8080)], HostPortsInUse.Report(bound, HostPortsInUse.Ours([twin], [])));
    }

    [Fact]
    public void The_report_is_capped_at_the_lowest_ports()
    {
        var bound = Enumerable.Range(1, 5000).Reverse().Select(Tcp);

        var report = HostPortsInUse.Report(bound, []);

        Assert.Equal(ListeningPort.MaxReported, report.Count);
        Assert.Equal(Enumerable.Range(1, ListeningPort.MaxReported).Select(Tcp), report);
    }

    [Fact]
    public void Sees_a_real_listener_in_this_network_namespace()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        // Capped at the lowest 256: the listener's port is found among all bound ones before the cap, so read without it.
        var all = new[] { "tcp", "tcp6" }.SelectMany(f => HostPortsInUse.Parse(File.ReadAllText($"/proc/net/{f}"), "tcp"));
        Assert.Contains(Tcp(port), all);
        Assert.DoesNotContain(Tcp(port), HostPortsInUse.Report(all, [Tcp(port)]));
    }
}
