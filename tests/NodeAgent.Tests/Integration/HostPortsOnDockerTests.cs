using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>The engine's proxy listens on what our containers publish: those ports are ours, not another program's.</summary>
[Trait("Category", "Integration")]
public sealed class HostPortsOnDockerTests : IAsyncLifetime
{
    private readonly DockerCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();
    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Ports_our_containers_publish_on_IPv4_and_IPv6_are_not_reported()
    {
        Replica replica = Replica(DockerCluster.UniqueId("pub0")).Image("local/web:1").Port(8080);
        await _cluster.Runtime.CreateAndStartAsync(replica, CancellationToken.None);
        var observed = await _cluster.Runtime.ListAsync(CancellationToken.None);
        var published = Assert.Single(observed).Published;
        Assert.NotEmpty(published);

        var bound = new[] { "tcp", "tcp6" }.SelectMany(f => HostPortsInUse.Parse(File.ReadAllText($"/proc/net/{f}"), "tcp")).ToList();
        var report = HostPortsInUse.Report(bound, HostPortsInUse.Ours(observed, [replica]));

        // The proxy really listens on them (so without the exclusion they would be reported), and they are left out.
        Assert.All(published, p => Assert.Contains(p, bound));
        Assert.All(published, p => Assert.DoesNotContain(p, report));
    }
}
