using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Network;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>The cluster network as one node computes it from the node list (docs/networking.md).</summary>
public sealed class NetworkPlanTests
{
    private static NodeInfo Node(string name, string address, string subnet) => new() { Name = name, Address = address, Subnet = subnet };

    [Fact]
    public void A_node_routes_every_other_nodes_subnet_through_its_address_and_keeps_that_traffic_unmasqueraded()
    {
        var plan = NetworkPlan.For("c1", "h1", [
            Node("h3", "10.231.0.13", "10.240.2.0/24"),
            Node("h1", "10.231.0.11", "10.240.0.0/24"),
            Node("h2", "10.231.0.12", "10.240.1.0/24"),
        ])!;

        Assert.Equal("10.240.0.0/24", plan.Subnet.ToString());
        Assert.Equal("10.240.0.1", plan.Gateway);
        Assert.Equal("orc-c1", plan.NetworkName);
        Assert.True(plan.BridgeName.Length <= 15, plan.BridgeName);
        Assert.Equal([new PeerRoute("10.240.1.0/24", "10.231.0.12"), new PeerRoute("10.240.2.0/24", "10.231.0.13")], plan.Routes);
        var rules = plan.IptablesRules();
        Assert.Contains("-A ORC-POSTROUTING -s 10.240.0.0/24 -d 10.240.1.0/24 ", rules);
        Assert.Contains("-A ORC-FORWARD -s 10.240.2.0/24 -d 10.240.0.0/24 ", rules);
        // Each table is committed whole, with our chains declared (so iptables-restore --noflush rewrites them and nothing else).
        Assert.StartsWith("*nat\n:ORC-POSTROUTING - [0:0]\n", rules);
        Assert.Contains("COMMIT\n*filter\n:ORC-FORWARD - [0:0]\n", rules);
        Assert.EndsWith("COMMIT\n", rules);
    }

    public static TheoryData<string, NodeInfo[], string[]> Peers => new()
    {
        { "a peer without a subnet yet gets no route", [Node("h1", "10.0.0.1", "10.240.0.0/24"), Node("h2", "10.0.0.2", "")], [] },
        { "a peer on loopback cannot carry traffic", [Node("h1", "10.0.0.1", "10.240.0.0/24"), Node("h2", "127.0.0.1", "10.240.1.0/24")], [] },
        { "a peer whose subnet overlaps ours is left out", [Node("h1", "10.0.0.1", "10.240.0.0/24"), Node("h2", "10.0.0.2", "10.240.0.0/16")], [] },
        { "a peer with a broken subnet is left out", [Node("h1", "10.0.0.1", "10.240.0.0/24"), Node("h2", "10.0.0.2", "10.240.1.7/24")], [] },
        { "two good peers", [Node("h1", "10.0.0.1", "10.240.0.0/24"), Node("h2", "10.0.0.2", "10.240.1.0/24"), Node("h3", "10.0.0.3", "10.240.9.0/24")],
            ["10.240.1.0/24 via 10.0.0.2", "10.240.9.0/24 via 10.0.0.3"] },
    };

    [Theory]
    [MemberData(nameof(Peers))]
    public void Routes_only_to_peers_that_can_carry_them(string name, NodeInfo[] nodes, string[] routes)
    {
        var plan = NetworkPlan.For("c", "h1", nodes)!;
        Assert.True(routes.SequenceEqual(plan.Routes.Select(r => $"{r.Subnet} via {r.Via}")), $"{name}: {string.Join(", ", plan.Routes)}");
    }

    [Fact]
    public void No_plan_while_this_node_has_no_subnet()
    {
        Assert.Null(NetworkPlan.For("c", "h1", [Node("h1", "10.0.0.1", ""), Node("h2", "10.0.0.2", "10.240.1.0/24")]));
        Assert.Null(NetworkPlan.For("c", "h1", []));
    }

    [Fact]
    public void Our_routes_are_read_back_from_ip_route()
    {
        var routes = ClusterNetwork.ParseRoutes("10.240.1.0/24 via 10.231.0.12 dev eth0 \n10.240.2.0/24 via 10.231.0.13 dev eth0 \n");
        Assert.Equal(new Dictionary<string, string> { ["10.240.1.0/24"] = "10.231.0.12", ["10.240.2.0/24"] = "10.231.0.13" }, routes);
    }
}
