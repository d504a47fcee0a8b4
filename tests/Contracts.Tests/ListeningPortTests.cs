using Orchestrator.Contracts;

namespace Orchestrator.Contracts.Tests;

/// <summary>An agent's report of ports other programs hold is checked before it reaches a node record.</summary>
[Trait("Category", "Unit")]
public sealed class ListeningPortTests
{
    private static List<ListeningPort> Ports(params (int Port, string Protocol)[] ports) =>
        ports.Select(p => new ListeningPort { Port = p.Port, Protocol = p.Protocol }).ToList();

    public static TheoryData<string, List<ListeningPort>?, string?> Cases => new()
    {
        { "not said", null, null },
        { "none", [], null },
        { "well-formed", Ports((53, "udp"), (2379, "tcp"), (65535, "tcp")), null },
        { "port 0", Ports((0, "tcp")), "portsInUse[0].port is 0; allowed: 1-65535" },
        { "negative port", Ports((53, "udp"), (-1, "tcp")), "portsInUse[1].port is -1; allowed: 1-65535" },
        { "port past 65535", Ports((65536, "tcp")), "portsInUse[0].port is 65536; allowed: 1-65535" },
        { "unknown protocol", Ports((80, "sctp")), "portsInUse[0].protocol is \"sctp\"; allowed: tcp, udp" },
        { "upper case protocol", Ports((80, "TCP")), "portsInUse[0].protocol is \"TCP\"; allowed: tcp, udp" },
        { "null entry", [null!], "portsInUse[0] is null; give {\"port\": 1-65535, \"protocol\": \"tcp\"|\"udp\"}" },
        { "one past the cap", Enumerable.Range(1, ListeningPort.MaxReported + 1).Select(p => new ListeningPort { Port = p }).ToList(),
            $"portsInUse has {ListeningPort.MaxReported + 1} entries; at most {ListeningPort.MaxReported} are allowed" },
        { "exactly the cap", Enumerable.Range(1, ListeningPort.MaxReported).Select(p => new ListeningPort { Port = p }).ToList(), null },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Checks_a_report(string name, List<ListeningPort>? ports, string? problem) =>
        Assert.Equal(problem, ListeningPort.Problem(ports, "portsInUse"));
}
