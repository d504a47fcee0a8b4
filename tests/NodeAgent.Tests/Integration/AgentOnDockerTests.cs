using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>The running agent loop on the real engine, fed by a fake control plane.</summary>
[Trait("Category", "Integration")]
[Collection(DockerEngineCollection.Name)]
public sealed class AgentOnDockerTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    /// <summary>Long enough that only engine events can explain a repair within <see cref="Wait"/>.</summary>
    private static readonly TimeSpan SlowResync = TimeSpan.FromMinutes(5);

    private readonly DockerCluster _cluster = new();
    private readonly string _missingId = DockerCluster.UniqueId("miss");
    private readonly string _crashId = DockerCluster.UniqueId("cras");
    private readonly string _driftId = DockerCluster.UniqueId("drif");
    private readonly string _webId = DockerCluster.UniqueId("web0");

    public Task InitializeAsync() => _cluster.InitializeAsync();
    public Task DisposeAsync() => _cluster.DisposeAsync();

    private Task<AgentHarness> StartAsync(params Replica[] assigned) => AgentHarness.SyncedAsync(_cluster.Runtime, SlowResync, assigned);

    /// <summary>The replica's status in the latest report, when it says Running.</summary>
    private static ReplicaStatus? Running(AgentHarness harness, string replicaId) =>
        harness.Api.Reports.LastOrDefault()?.Replicas.SingleOrDefault(s => s.ReplicaId == replicaId && s.State == ReplicaState.Running);

    [Fact]
    public async Task Removes_an_unassigned_labelled_container_and_creates_the_assigned_one()
    {
        var stray = await DockerCli.RunAsync("run", "-d", "--label", "orchestrator.managed=true", "--label", $"orchestrator.cluster={_cluster.Name}",
            "--label", "orchestrator.replica=stray", "local/busybox:1", "sleep", "3600");
        Replica web = Replica(_webId).Image("local/web:1").Port(8080);

        await using var harness = await StartAsync(web);

        await Eventually.HoldsAsync(() => Running(harness, _webId) is { Ports.Count: 1 }, Wait, "web replica reported running with its port");
        var ids = await DockerCli.ContainerIdsAsync(_cluster.Name);
        Assert.DoesNotContain(stray, ids);
        var status = Running(harness, _webId)!;
        Assert.Equal([status.ContainerId!], ids);
        Assert.True(status.Ports[0].HostPort > 0);
    }

    [Fact]
    public async Task Docker_rm_f_is_repaired_by_the_running_loop()
    {
        await using var harness = await StartAsync(Replica(_driftId));
        await Eventually.HoldsAsync(async () => (await DockerCli.ContainerIdsAsync(_cluster.Name)).Length == 1, Wait, "replica created");
        var first = (await DockerCli.ContainerIdsAsync(_cluster.Name)).Single();

        await DockerCli.RunAsync("rm", "-f", first);

        await Eventually.HoldsAsync(async () => await DockerCli.ContainerIdsAsync(_cluster.Name) is [var id] && id != first
            && await DockerCli.InspectIfExistsAsync(id, "{{.State.Status}}") == "running", Wait, "a new container runs the replica");
    }

    [Fact]
    public async Task An_exited_container_is_started_again_and_the_restart_counted()
    {
        await using var harness = await StartAsync(Replica(_crashId));
        await Eventually.HoldsAsync(() => Running(harness, _crashId) is not null, Wait, "replica running");
        var id = (await DockerCli.ContainerIdsAsync(_cluster.Name)).Single();

        await DockerCli.RunAsync("kill", id);

        await Eventually.HoldsAsync(() => Running(harness, _crashId) is { RestartCount: 1 } s && s.ContainerId == id, Wait, "same container running again, restart 1");
        Assert.Equal("running", await DockerCli.InspectAsync(id, "{{.State.Status}}"));
    }

    [Fact]
    public async Task A_create_that_fails_is_reported_as_failed_with_the_engine_message()
    {
        await using var harness = await StartAsync(Replica(_missingId).Image("local/does-not-exist:1"));

        await Eventually.HoldsAsync(() => harness.Api.Reports.LastOrDefault()?.Replicas.SingleOrDefault() is { State: ReplicaState.Failed }, Wait, "reported failed");
        var status = harness.Api.Reports.Last().Replicas.Single();
        Assert.Contains("local/does-not-exist:1", status.Message);
        Assert.Null(status.ContainerId);
    }
}
