using System.Net;
using System.Net.Sockets;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>What the real engine answers a create that cannot work, as the agent words it.</summary>
[Trait("Category", "Integration")]
public sealed class StartFailureOnDockerTests : IAsyncLifetime
{
    private readonly DockerCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();
    public Task DisposeAsync() => _cluster.DisposeAsync();

    private async Task<StartFailure> FailureOfAsync(Replica replica)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => _cluster.Runtime.CreateAndStartAsync(replica, CancellationToken.None));
        return StartFailure.Classify(e.GetBaseException().Message, replica, "vm");
    }

    [Fact]
    public async Task A_missing_image_is_ImageNotFound()
    {
        var image = $"local/nope-{Guid.NewGuid().ToString("N")[..8]}:1";

        var failure = await FailureOfAsync(Replica(DockerCluster.UniqueId("img0")).Image(image));

        Assert.Equal(new StartFailure(ReplicaReasons.ImageNotFound, $"{image} is not on node vm"), failure);
    }

    [Fact]
    public async Task A_host_port_another_program_listens_on_is_PortInUse_naming_the_port()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var failure = await FailureOfAsync(Replica(DockerCluster.UniqueId("port")).Port(80, hostPort: port));

        Assert.Equal(new StartFailure(ReplicaReasons.PortInUse, $"host port {port}/tcp is already in use on vm"), failure);
    }
}
