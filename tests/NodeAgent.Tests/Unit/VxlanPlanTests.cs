using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Network;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>--network-mode vxlan: which commands a node runs for which peers (docs/networking.md).</summary>
public sealed class VxlanPlanTests
{
    private static NodeInfo Node(string name, string address, string subnet) => new() { Name = name, Address = address, Subnet = subnet };

    private static readonly NodeInfo[] Three =
    [
        Node("h2", "10.231.0.12", "10.240.1.0/24"),
        Node("h1", "10.231.0.11", "10.240.0.0/24"),
        Node("h3", "192.168.7.3", "10.240.2.0/24"),
    ];

    private static string Line(string[] command) => string.Join(' ', command);

    [Fact]
    public void The_device_has_the_nodes_address_as_its_local_end_and_every_peer_an_entry_and_a_route_through_it()
    {
        var plan = NetworkPlan.For("c1", "h1", Three, NetworkModes.Vxlan)!;
        Assert.Equal(NetworkModes.Vxlan, plan.Mode);
        var vxlan = VxlanPlan.For(plan)!;

        Assert.Equal([
            "ip link add orc-vxlan type vxlan id 240 local 10.231.0.11 dstport 4789 nolearning",
            "ip link set orc-vxlan address 02:0a:f0:00:00:00 mtu 1450 up",
            "ip -4 addr replace 10.240.0.0/32 dev orc-vxlan",
        ], vxlan.CreateDevice().Select(Line));
        // Every other node, in name order: its .0 and derived MAC, reached at its own address (no shared L2 segment needed).
        Assert.Equal([
            new VxlanPeer("10.240.1.0/24", "10.240.1.0", "02:0a:f0:01:00:00", "10.231.0.12"),
            new VxlanPeer("10.240.2.0/24", "10.240.2.0", "02:0a:f0:02:00:00", "192.168.7.3"),
        ], vxlan.Peers);
        Assert.Equal([
            "ip neigh replace 10.240.2.0 lladdr 02:0a:f0:02:00:00 dev orc-vxlan nud permanent",
            "bridge fdb replace 02:0a:f0:02:00:00 dev orc-vxlan dst 192.168.7.3 self permanent",
        ], VxlanPlan.PeerEntries(vxlan.Peers[1]).Select(Line));
        Assert.Equal("-4 route replace 10.240.1.0/24 via 10.240.1.0 dev orc-vxlan onlink proto 240", Line(VxlanPlan.RouteArgs(vxlan.Peers[0])));

        // Another node computes the mirror image: h2's device is the one h1 sends to.
        var h2 = VxlanPlan.For(NetworkPlan.For("c1", "h2", Three, NetworkModes.Vxlan)!)!;
        Assert.Equal(vxlan.Peers[0].Mac, h2.Mac);
        Assert.Equal(vxlan.Peers[0].Vtep, h2.Vtep);
        Assert.Equal(["10.240.0.0/24", "10.240.2.0/24"], h2.Peers.Select(p => p.Subnet));
    }

    [Fact]
    public void Entries_of_peers_that_are_gone_are_removed_and_the_kernels_own_are_left()
    {
        var vxlan = VxlanPlan.For(NetworkPlan.For("c1", "h1", Three, NetworkModes.Vxlan)!)!;
        const string neighbours = "10.240.1.0 lladdr 02:0a:f0:01:00:00 PERMANENT\n10.240.9.0 lladdr 02:0a:f0:09:00:00 PERMANENT\n";
        const string forwarding = """
            02:0a:f0:01:00:00 dst 10.231.0.12 self permanent
            02:0a:f0:09:00:00 dst 10.231.0.19 self permanent
            00:00:00:00:00:00 dst 10.231.0.50 self permanent
            """;
        Assert.Equal([
            "ip neigh del 10.240.9.0 dev orc-vxlan",
            "bridge fdb del 02:0a:f0:09:00:00 dev orc-vxlan dst 10.231.0.19 self",
        ], vxlan.StaleEntries(neighbours, forwarding).Select(Line));
    }

    [Fact]
    public void A_device_is_kept_only_when_its_vni_local_end_port_and_mac_are_ours()
    {
        var vxlan = VxlanPlan.For(NetworkPlan.For("c1", "h1", Three, NetworkModes.Vxlan)!)!;
        const string ours = "9: orc-vxlan: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/ether 02:0a:f0:00:00:00 brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 65535 \\    vxlan id 240 local 10.231.0.11 srcport 0 0 dstport 4789 nolearning ttl auto ageing 300 ";
        Assert.True(vxlan.Matches(ours));
        Assert.False(vxlan.Matches(ours.Replace("local 10.231.0.11", "local 10.231.0.99")));
        Assert.False(vxlan.Matches(ours.Replace("id 240", "id 1")));
        Assert.False(vxlan.Matches(ours.Replace("02:0a:f0:00:00:00", "02:0a:f0:05:00:00")));
    }

    [Fact]
    public void No_tunnel_without_an_address_to_send_from()
    {
        Assert.Null(VxlanPlan.For(NetworkPlan.For("c1", "h1", [Node("h1", "127.0.0.1", "10.240.0.0/24")], NetworkModes.Vxlan)!));
        Assert.Null(VxlanPlan.For(NetworkPlan.For("c1", "h1", [Node("h1", "", "10.240.0.0/24")], NetworkModes.Vxlan)!));
    }
}
