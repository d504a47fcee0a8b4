using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>
/// Volumes on the real engine as the agent drives them: a persistent volume is made labelled at the first mount, outlives
/// its container, is listed with its size and users, is not removed while mounted, and a volume of the same name that
/// is not the cluster's is never mounted (docs/volumes.md).
/// </summary>
[Trait("Category", "Integration")]
public sealed class VolumesOnDockerTests : IAsyncLifetime
{
    private readonly DockerCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();
    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_persistent_volume_outlives_its_container_is_listed_and_is_removed_only_when_unused()
    {
        var service = DockerCluster.UniqueId("vol");
        var name = VolumeNames.Persistent("default", service, "data", 1);
        Replica replica = Replica(DockerCluster.UniqueId("v")).Service(service).Volume(new VolumeSpec { Name = "data", Persistent = new() }, "/data");
        var ct = CancellationToken.None;

        var id = await _cluster.Runtime.CreateAndStartAsync(replica, ct);
        await DockerCli.RunAsync("exec", id, "sh", "-c", "echo twelve-bytes > /data/f");

        var listed = Assert.Single(await _cluster.Runtime.ListVolumesAsync(ct));
        Assert.Equal((name, service, "data", "persistent", (int?)1), (listed.Name, listed.Service, listed.Volume, listed.Kind, listed.Slot));
        Assert.Equal(13, listed.SizeBytes);
        Assert.Equal([replica.ContainerName], listed.UsedBy);
        await Assert.ThrowsAsync<VolumeInUseException>(() => _cluster.Runtime.RemoveVolumeAsync(name, ct));

        await _cluster.Runtime.StopAndRemoveAsync(id, TimeSpan.Zero, ct);
        var kept = Assert.Single(await _cluster.Runtime.ListVolumesAsync(ct));
        Assert.Empty(kept.UsedBy);
        Assert.True(await _cluster.Runtime.RemoveVolumeAsync(name, ct));
        Assert.Empty(await _cluster.Runtime.ListVolumesAsync(ct));
        Assert.False(await _cluster.Runtime.RemoveVolumeAsync(name, ct));
    }

    [Fact]
    public async Task A_volume_of_the_name_made_by_someone_else_is_refused_and_never_removed()
    {
        var service = DockerCluster.UniqueId("sq");
        var name = VolumeNames.Persistent("default", service, "data", 1);
        await DockerCli.RunAsync("volume", "create", name);
        try
        {
            Replica replica = Replica(DockerCluster.UniqueId("v")).Service(service).Volume(new VolumeSpec { Name = "data", Persistent = new() }, "/data");

            var refused = await Assert.ThrowsAsync<ContainerRefusedException>(() => _cluster.Runtime.CreateAndStartAsync(replica, CancellationToken.None));

            Assert.Equal($"volume {name} exists on node n1 but was not made by the orchestrator; remove or rename it", refused.Message);
            Assert.False(await _cluster.Runtime.RemoveVolumeAsync(name, CancellationToken.None));
            Assert.Contains(name, await DockerCli.RunAsync("volume", "ls", "-q"));
        }
        finally
        {
            await DockerCli.RunAsync("volume", "rm", "-f", name);
        }
    }
}
