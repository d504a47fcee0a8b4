using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Api;
using Orchestrator.NodeAgent.Runtime;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>
/// Container logs and stats on the real engine: through <see cref="DockerRuntime"/> directly, and through the agent's
/// own HTTP API (<see cref="AgentApi"/>) served on a free local port, as the control plane calls it.
/// </summary>
[Trait("Category", "Integration")]
[Collection(DockerEngineCollection.Name)]
public sealed class LogsAndStatsOnDockerTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly DockerCluster _cluster = new();
    private WebApplication? _agent;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IContainerDiagnostics>(_cluster.Runtime);
        builder.Services.AddSingleton<INodeVolumes>(_cluster.Runtime);
        _agent = builder.Build();
        _agent.MapAgentApi("n1", _cluster.Name);
        await _agent.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_agent.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_agent is not null) await _agent.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    /// <summary>Starts a busybox replica running <paramref name="script"/> under sh; returns its replica id and container id.</summary>
    private async Task<(string Replica, string Container)> RunAsync(string prefix, string script)
    {
        var id = DockerCluster.UniqueId(prefix);
        var container = await _cluster.Runtime.CreateAndStartAsync(Replica(id).Args("sh", "-c", script), CancellationToken.None);
        return (id, container);
    }

    private async Task<List<string>> LogsAsync(string container, int? tail)
    {
        var lines = new List<string>();
        await foreach (var batch in _cluster.Runtime.LogsAsync(container, tail, follow: false, CancellationToken.None)) lines.AddRange(batch);
        return lines;
    }

    [Fact]
    public async Task Logs_return_the_lines_of_stdout_and_of_stderr()
    {
        var (_, container) = await RunAsync("log0", "echo first; echo oops >&2; echo second; sleep 3600");
        await Eventually.HoldsAsync(async () => (await LogsAsync(container, null)).Count == 3, Wait, "the container's three lines in its logs");

        var all = await LogsAsync(container, null);
        // The engine copies the two streams separately: their order against each other is not kept, each one's is.
        Assert.Equal(["first", "second"], all.Where(l => l != "oops"));
        Assert.Contains("oops", all);
    }

    [Fact]
    public async Task Tail_keeps_the_last_lines()
    {
        var (_, container) = await RunAsync("tai0", "for i in 1 2 3 4 5; do echo line-$i; done; sleep 3600");
        await Eventually.HoldsAsync(async () => (await LogsAsync(container, null)).Count == 5, Wait, "five lines logged");

        Assert.Equal(["line-4", "line-5"], await LogsAsync(container, 2));
        Assert.Equal(["line-1", "line-2", "line-3", "line-4", "line-5"], await LogsAsync(container, 50));
        Assert.Empty(await LogsAsync(container, 0));
    }

    [Fact]
    public async Task Follow_streams_a_line_printed_after_the_request_started()
    {
        var (_, container) = await RunAsync("fol0", "echo waiting; while [ ! -f /tmp/go ]; do sleep 0.1; done; echo after-the-request; sleep 3600");
        using var stop = new CancellationTokenSource(Wait);
        var lines = new List<string>();
        await using var follow = _cluster.Runtime.LogsAsync(container, null, follow: true, stop.Token).GetAsyncEnumerator(stop.Token);

        while (!lines.Contains("waiting") && await follow.MoveNextAsync()) lines.AddRange(follow.Current);
        Assert.DoesNotContain("after-the-request", lines);
        await DockerCli.RunAsync("exec", container, "touch", "/tmp/go");
        while (!lines.Contains("after-the-request") && await follow.MoveNextAsync()) lines.AddRange(follow.Current);

        Assert.Equal(["waiting", "after-the-request"], lines);
    }

    [Fact]
    public async Task Usage_measures_a_busy_container_and_its_memory()
    {
        // 8 MB held in a shell variable, and a busy loop held to half a core (so that it does not slow the other tests).
        var busy = DockerCluster.UniqueId("cpu0");
        await _cluster.Runtime.CreateAndStartAsync(
            Replica(busy).Cpu("500m").Args("sh", "-c", "x=$(head -c 8000000 /dev/zero | tr '\\0' a); while true; do :; done"), CancellationToken.None);
        var (idle, _) = await RunAsync("idl0", "sleep 3600");

        ContainerUsage? busyUsage = null, idleUsage = null;
        await Eventually.HoldsAsync(async () =>
        {
            var usage = await _cluster.Runtime.UsageAsync(CancellationToken.None);
            busyUsage = usage.FirstOrDefault(u => u.ReplicaId == busy);
            idleUsage = usage.FirstOrDefault(u => u.ReplicaId == idle);
            // How much of its half core the busy loop gets depends on what else the machine runs: only "clearly more
            // than the idle one" is a property of the measurement.
            return busyUsage is { MemoryBytes: > 8_000_000 } && idleUsage is not null && busyUsage.MilliCpu > idleUsage.MilliCpu + 50;
        }, Wait, "stats showing the busy container's cpu above the idle one's, and its 8 MB");

        Assert.Equal("web", busyUsage!.Service);
        Assert.Equal(ObjectKinds.DefaultNamespace, busyUsage.Namespace);
        // The kernel holds the loop to its 500m quota whatever the load, so a reading far above it is a wrong one.
        Assert.True(busyUsage.MilliCpu <= 650, $"busy container read as {busyUsage.MilliCpu}m under a 500m limit");
        Assert.InRange(idleUsage!.MemoryBytes, 1, 8_000_000);
        // Every later answer has both: a container is never left out because its stats came late.
        for (var i = 0; i < 3; i++)
        {
            var ids = (await _cluster.Runtime.UsageAsync(CancellationToken.None)).Select(u => u.ReplicaId).ToHashSet();
            Assert.True(ids.SetEquals([busy, idle]), $"answer {i}: {string.Join(", ", ids)}");
        }
    }

    [Fact]
    public async Task The_agent_api_serves_logs_as_text_lines_and_answers_404_for_an_unknown_replica()
    {
        var (replica, container) = await RunAsync("api0", "echo alpha; echo beta; echo gamma; sleep 3600");
        await Eventually.HoldsAsync(async () => (await LogsAsync(container, null)).Count == 3, Wait, "three lines logged");

        using var all = await _http.GetAsync($"/v1/replicas/{replica}/logs");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("text/plain", all.Content.Headers.ContentType?.MediaType);
        Assert.Equal("alpha\nbeta\ngamma\n", await all.Content.ReadAsStringAsync());
        Assert.Equal("gamma\n", await _http.GetStringAsync($"/v1/replicas/{replica}/logs?tail=1"));

        using var unknown = await _http.GetAsync("/v1/replicas/nosuchreplica/logs");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal($"replica \"nosuchreplica\" has no container on node n1 (cluster {_cluster.Name})",
            (await unknown.Content.ReadFromJsonAsync<ApiError>(Json.Options))!.Error);

        using var badTail = await _http.GetAsync($"/v1/replicas/{replica}/logs?tail=-3");
        Assert.Equal(HttpStatusCode.BadRequest, badTail.StatusCode);
        Assert.Contains("tail \"-3\" is invalid", (await badTail.Content.ReadFromJsonAsync<ApiError>(Json.Options))!.Error);
    }

    [Fact]
    public async Task The_agent_api_follows_over_http_and_lists_stats_of_its_cluster_only()
    {
        var (replica, container) = await RunAsync("apf0", "echo ready; while [ ! -f /tmp/go ]; do sleep 0.1; done; echo later; sleep 3600");
        await using var other = new DockerCluster();
        await other.Runtime.CreateAndStartAsync(Replica(DockerCluster.UniqueId("oth0")), CancellationToken.None);

        using var response = await _http.GetAsync($"/v1/replicas/{replica}/logs?follow=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(Wait);
        Assert.Equal("ready", await reader.ReadLineAsync(timeout.Token));
        await DockerCli.RunAsync("exec", container, "touch", "/tmp/go");
        Assert.Equal("later", await reader.ReadLineAsync(timeout.Token));

        var stats = await _http.GetFromJsonAsync<NodeUsage>("/v1/stats", Json.Options);
        Assert.Equal("n1", stats!.Node);
        var mine = Assert.Single(stats.Containers);
        Assert.Equal((replica, container), (mine.ReplicaId, mine.ContainerId));
        Assert.True(mine.MemoryBytes > 0, $"memory {mine.MemoryBytes}");
    }
}
