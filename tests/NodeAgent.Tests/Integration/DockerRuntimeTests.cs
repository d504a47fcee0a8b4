using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>DockerRuntime against the real dockerd at /var/run/docker.sock with local/busybox:1 and local/web:1.</summary>
[Trait("Category", "Integration")]
[Collection(DockerEngineCollection.Name)]
public sealed class DockerRuntimeTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly DockerCluster _cluster = new();
    private readonly string _evtId = DockerCluster.UniqueId("evt0");
    private readonly string _memId = DockerCluster.UniqueId("mem0");
    private readonly string _mineId = DockerCluster.UniqueId("mine");
    private readonly string _otherId = DockerCluster.UniqueId("othe");
    private readonly string _rmId = DockerCluster.UniqueId("rm00");
    private readonly string _webId = DockerCluster.UniqueId("web0");

    public Task InitializeAsync() => _cluster.InitializeAsync();
    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Creates_with_labels_and_memory_limit_and_lists_it_running()
    {
        Replica replica = Replica(_memId).Memory("64Mi");
        var id = await _cluster.Runtime.CreateAndStartAsync(replica, CancellationToken.None);

        Assert.Equal("67108864", await DockerCli.InspectAsync(id, "{{.HostConfig.Memory}}"));
        Assert.Equal("no", await DockerCli.InspectAsync(id, "{{.HostConfig.RestartPolicy.Name}}"));
        Assert.Equal(replica.SpecHash, await DockerCli.InspectAsync(id, "{{index .Config.Labels \"orchestrator.spec-hash\"}}"));
        var c = Assert.Single(await _cluster.Runtime.ListAsync(CancellationToken.None));
        Assert.Equal(id, c.Id);
        Assert.Equal(replica.ContainerName, c.Name);
        Assert.Equal(ContainerStates.Running, c.State);
        Assert.Equal(_memId, c.ReplicaId);
        Assert.Equal("n1", c.Labels[ContainerLabels.Node]);
        Assert.NotNull(c.StartedAt);
    }

    [Fact]
    public async Task Dynamic_host_port_answers_http_with_the_page()
    {
        Replica replica = Replica(_webId).Image("local/web:1").Port(8080);
        await _cluster.Runtime.CreateAndStartAsync(replica, CancellationToken.None);

        var binding = Assert.Single(Assert.Single(await _cluster.Runtime.ListAsync(CancellationToken.None)).Ports);
        Assert.Equal(8080, binding.ContainerPort);
        Assert.True(binding.HostPort > 0);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var page = "";
        await Eventually.HoldsAsync(async () =>
        {
            try { page = await http.GetStringAsync($"http://127.0.0.1:{binding.HostPort}/"); return true; }
            catch (HttpRequestException) { return false; }
        }, Wait, "httpd answers on the published port");
        Assert.Contains("hello from web v1", page);
    }

    [Fact]
    public async Task Stop_and_remove_takes_the_container_away_and_tolerates_a_missing_one()
    {
        var id = await _cluster.Runtime.CreateAndStartAsync(Replica(_rmId), CancellationToken.None);
        await _cluster.Runtime.StopAndRemoveAsync(id, TimeSpan.Zero, CancellationToken.None);
        Assert.Empty(await _cluster.Runtime.ListAsync(CancellationToken.None));
        await _cluster.Runtime.StopAndRemoveAsync(id, TimeSpan.Zero, CancellationToken.None);
    }

    [Fact]
    public async Task Lists_only_its_own_cluster()
    {
        await using var other = new DockerCluster();
        await other.Runtime.CreateAndStartAsync(Replica(_otherId), CancellationToken.None);
        await _cluster.Runtime.CreateAndStartAsync(Replica(_mineId), CancellationToken.None);

        var c = Assert.Single(await _cluster.Runtime.ListAsync(CancellationToken.None));
        Assert.Equal(_mineId, c.ReplicaId);
    }

    [Fact]
    public async Task Watch_reports_die_and_start_of_its_own_cluster_only()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<ContainerEvent>();
        var watch = Task.Run(async () =>
        {
            try { await foreach (var e in _cluster.Runtime.WatchAsync(stop.Token)) lock (events) events.Add(e); }
            catch (OperationCanceledException) { }
        });
        await using var other = new DockerCluster();
        var id = await _cluster.Runtime.CreateAndStartAsync(Replica(_evtId), CancellationToken.None);
        await other.Runtime.CreateAndStartAsync(Replica(_otherId), CancellationToken.None);
        // The watch subscribes asynchronously: kill and start again until it has seen the die.
        await Eventually.HoldsAsync(async () =>
        {
            await DockerCli.RunAsync("kill", id);
            await _cluster.Runtime.StartAsync(id, CancellationToken.None);
            await Task.Delay(200);
            lock (events) return events.Any(e => e.Action == "die" && e.ContainerId == id && e.ReplicaId == _evtId);
        }, Wait, "die event");
        await Eventually.HoldsAsync(() => { lock (events) return events.Any(e => e.Action == "start"); }, Wait, "start event");
        await stop.CancelAsync();
        await watch;
        lock (events) Assert.All(events, e => Assert.Equal(_evtId, e.ReplicaId));
    }

    [Fact]
    public void Reads_the_cli_creation_time_used_to_find_stale_test_containers() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 19, 30, 1, TimeSpan.FromHours(2)), DockerCluster.Created("2026-11-28", "19:30:01", "+0200"));
}
