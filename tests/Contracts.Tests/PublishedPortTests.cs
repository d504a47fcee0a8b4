using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>spec.ports[].publishedPort: one service per port and protocol in the whole cluster (docs/networking.md).</summary>
[Trait("Category", "Unit")]
public class PublishedPortTests
{
    private static string Service(string name, int port, string protocol = "tcp") => $$"""
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: {{name}}}
        spec:
          image: local/web:1
          ports:
            - containerPort: 8080
              protocol: {{protocol}}
              publishedPort: {{port}}
        """;

    [Fact]
    public void Two_services_of_one_apply_claiming_one_published_port_are_refused_at_the_second_claim()
    {
        var result = Load(("a.yaml", Service("a", 30080)), ("b.yaml", Service("b", 30080)));
        var error = Assert.Single(result.Errors);
        Assert.Equal("b.yaml:9:22 spec.ports[0].publishedPort: publishedPort 30080/tcp is already claimed by service default/a at a.yaml:9:22; " +
            "every node opens a published port for one service only, so pick another from 30000 to 32767", error.ToString());
        // The same port over another protocol is another port.
        Assert.True(Load(("a.yaml", Service("a", 30080)), ("b.yaml", Service("b", 30080, "udp"))).Ok);
    }

    [Fact]
    public void A_claim_against_a_stored_service_is_refused_where_it_is_written_and_a_service_keeps_its_own()
    {
        var stored = Load(("a.yaml", Service("a", 30080))).Services;
        var again = Load(("a.yaml", Service("a", 30080)));
        Assert.Empty(PublishedPortClaim.Conflicts(again.PublishedPorts, stored));
        var other = Load(("b.yaml", Service("b", 30080)));
        var error = Assert.Single(PublishedPortClaim.Conflicts(other.PublishedPorts, stored));
        Assert.Equal("b.yaml:9:22 spec.ports[0].publishedPort: publishedPort 30080/tcp is already claimed by service default/a; " +
            "every node opens a published port for one service only, so pick another from 30000 to 32767", error.ToString());
    }
}
