using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Network;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>What the agent's DNS answers (docs/networking.md): Swarm's names with Kubernetes' long form.</summary>
public sealed class ServiceNamesTests
{
    private static readonly List<ServiceEndpoints> Services =
    [
        new() { Name = "web", VirtualIp = "10.241.0.1",
            Ready = [new() { ReplicaId = "a", Ip = "10.240.1.3" }, new() { ReplicaId = "b", Ip = "10.240.2.2" }],
            NotReady = [new() { ReplicaId = "c", Ip = "10.240.1.9", NotServing = "not ready" }] },
        new() { Namespace = "shop", Name = "web", VirtualIp = "10.241.0.2", Ready = [new() { ReplicaId = "d", Ip = "10.240.0.5" }] },
        new() { Namespace = "shop", Name = "db", VirtualIp = "" },
    ];

    [Theory]
    [InlineData("web", null, true, "10.241.0.1")]
    [InlineData("WEB.", null, true, "10.241.0.1")]
    [InlineData("web.default", null, true, "10.241.0.1")]
    [InlineData("web.default.svc.cluster.local", null, true, "10.241.0.1")]
    [InlineData("web.shop.svc.cluster.local.", null, true, "10.241.0.2")]
    [InlineData("web", "10.240.0.5", true, "10.241.0.2")]               // asked by a replica of namespace shop
    [InlineData("tasks.web", null, true, "10.240.1.3,10.240.2.2")]      // ready replicas only
    [InlineData("tasks.web.shop", null, true, "10.240.0.5")]
    [InlineData("nosuch", null, true, "")]                               // ours, and it does not exist
    [InlineData("nosuch.default.svc.cluster.local", null, true, "")]
    [InlineData("db.shop", null, true, "")]                              // no virtual IP yet
    [InlineData("example.com", null, false, "")]                         // not a namespace of ours: forwarded
    [InlineData("www.example.com", null, false, "")]
    [InlineData("a..b", null, false, "")]
    public void Resolves_the_clusters_names_and_leaves_the_rest(string query, string? client, bool ours, string addresses)
    {
        var answer = ServiceNames.Resolve(query, Services, client);
        Assert.Equal(ours, answer.Ours);
        Assert.Equal(addresses, string.Join(",", answer.Addresses));
    }
}
