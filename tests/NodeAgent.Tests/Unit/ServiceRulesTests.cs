using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Network;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>The balancing rules one node writes for the services (docs/networking.md), as iptables-restore reads them.</summary>
public sealed class ServiceRulesTests
{
    private static ServiceEndpoints Web(params string[] ips) => new()
    {
        Name = "web",
        VirtualIp = "10.241.0.1",
        Ports = [new PortSpec { ContainerPort = 8080, PublishedPort = 30080 }],
        Ready = ips.Select((ip, i) => new EndpointAddress { ReplicaId = $"r{i}", Node = "h2", Ip = ip }).ToList(),
    };

    private static NetworkPlan Plan(params ServiceEndpoints[] services) =>
        NetworkPlan.For("c", "h1", [
            new NodeInfo { Name = "h1", Address = "10.231.0.11", Subnet = "10.240.0.0/24" },
            new NodeInfo { Name = "h2", Address = "10.231.0.12", Subnet = "10.240.1.0/24" },
        ])! with { Services = services };

    [Fact]
    public void Each_of_n_endpoints_gets_one_nth_of_the_connections_to_the_virtual_ip_and_the_published_port()
    {
        var rules = Plan(Web("10.240.1.4", "10.240.1.2", "10.240.1.3")).IptablesRules();
        var lines = rules.Split('\n');
        var svc = lines.Single(l => l.StartsWith("-A ORC-SERVICES -d 10.241.0.1/32 -p tcp -m tcp --dport 8080 ")).Split(' ')[^1];
        Assert.StartsWith("ORC-SVC-", svc);
        // Endpoints in a stable order (by IP), with probabilities 1/3, 1/2, then the rest: each gets a third.
        var picks = lines.Where(l => l.StartsWith($"-A {svc} ")).ToList();
        Assert.Equal(3, picks.Count);
        Assert.Contains("--probability 0.3333333333 ", picks[0]);
        Assert.Contains("--probability 0.5000000000 ", picks[1]);
        Assert.DoesNotContain("statistic", picks[2]);
        Assert.Contains("10.240.1.2", picks[0]);
        Assert.Contains("-j DNAT --to-destination 10.240.1.4:8080", rules);
        // The published port: caught on the node's own addresses, marked for masquerade, then balanced the same way.
        Assert.Contains("-A ORC-SERVICES -m addrtype --dst-type LOCAL -j ORC-NODEPORTS", rules);
        Assert.Contains("-A ORC-NODEPORTS -p tcp -m tcp --dport 30080 -m comment --comment \"default/web:8080/tcp published\" -j ORC-MARK-MASQ", rules);
        Assert.Contains($"-A ORC-NODEPORTS -p tcp -m tcp --dport 30080 -m comment --comment \"default/web:8080/tcp published\" -j {svc}", rules);
        Assert.Contains("-A ORC-POSTROUTING -m mark --mark 0x4000/0x4000 ", rules);
        // Masqueraded with a random source port where iptables has --random-fully (kube-proxy's SNAT port collisions), else as before.
        Assert.EndsWith("-j MASQUERADE", lines.Single(l => l.Contains("-j MASQUERADE")));
        Assert.EndsWith("-j MASQUERADE --random-fully", (Plan(Web("10.240.1.2")) with { MasqueradeRandomFully = true }).IptablesRules().Split('\n').Single(l => l.Contains("-j MASQUERADE")));
        // A service with endpoints is not refused.
        Assert.DoesNotContain("-A ORC-NO-ENDPOINTS", rules);
        // A peer forwarding a published port here does so from its own address.
        Assert.Contains("-A ORC-FORWARD -s 10.231.0.12/32 -d 10.240.0.0/24 ", rules);
        Assert.All(lines.Where(l => l.StartsWith(':')), l => Assert.True(l.Split(' ')[0].Length - 1 <= 28, l));
    }

    [Fact]
    public void A_service_without_ready_endpoints_is_refused_one_without_virtual_ip_has_no_rule_and_stale_chains_are_emptied_and_deleted()
    {
        var udp = Web() with { Name = "dns", VirtualIp = "10.241.0.2", Ports = [new PortSpec { ContainerPort = 53, Protocol = "udp" }] };
        var rules = Plan(Web(), udp, Web("10.240.1.2") with { Name = "novip", VirtualIp = "" }).IptablesRules(new HashSet<string> { "ORC-SVC-0123456789ABCDEF", "ORC-SEP-FEDCBA9876543210" });
        // Refused at once in the filter table (new connections only), as kube-proxy does: a reset for tcp, port unreachable for udp.
        var filter = rules[rules.IndexOf("*filter\n", StringComparison.Ordinal)..];
        Assert.Contains(":ORC-NO-ENDPOINTS - [0:0]\n", filter);
        Assert.Equal(
            [
                "-A ORC-NO-ENDPOINTS -d 10.241.0.2/32 -p udp -m udp --dport 53 -m conntrack --ctstate NEW -m comment --comment \"default/dns:53/udp has no endpoints\" -j REJECT --reject-with icmp-port-unreachable",
                "-A ORC-NO-ENDPOINTS -d 10.241.0.1/32 -p tcp -m tcp --dport 8080 -m conntrack --ctstate NEW -m comment --comment \"default/web:8080/tcp has no endpoints\" -j REJECT --reject-with tcp-reset",
            ],
            filter.Split('\n').Where(l => l.StartsWith("-A ORC-NO-ENDPOINTS", StringComparison.Ordinal)));
        Assert.DoesNotContain("ORC-SVC-", rules.Replace(":ORC-SVC-0123456789ABCDEF - [0:0]", "").Replace("-X ORC-SVC-0123456789ABCDEF", ""));
        Assert.Contains(":ORC-SVC-0123456789ABCDEF - [0:0]\n", rules);
        Assert.Contains("-X ORC-SVC-0123456789ABCDEF\n", rules);
        Assert.Contains("-X ORC-SEP-FEDCBA9876543210\n", rules);
        // A chain still wanted is not deleted.
        var wanted = Plan(Web("10.240.1.2")).IptablesRules();
        var chains = ServiceRules.ChainsIn(wanted);
        Assert.Equal(2, chains.Count);
        Assert.DoesNotContain("-X ", Plan(Web("10.240.1.2")).IptablesRules(chains));
    }
}
