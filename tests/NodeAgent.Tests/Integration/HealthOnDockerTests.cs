using System.Globalization;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>Restart policies and probes of the running agent on the real engine, with 1 s periods.</summary>
[Trait("Category", "Integration")]
[Collection(DockerEngineCollection.Name)]
public sealed class HealthOnDockerTests : IAsyncLifetime
{
    private static readonly TimeSpan SlowResync = TimeSpan.FromMinutes(5);
    private readonly DockerCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();
    public Task DisposeAsync() => _cluster.DisposeAsync();

    private Task<AgentHarness> StartAsync(params Replica[] assigned) => AgentHarness.SyncedAsync(_cluster.Runtime, SlowResync, assigned);

    private static Probe Every1s(Probe probe) => probe with { PeriodSeconds = 1, TimeoutSeconds = 1 };

    [Fact]
    public async Task On_failure_with_max_3_restarts_exactly_3_times_with_growing_gaps_then_shows_failed()
    {
        var id = DockerCluster.UniqueId("fail");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var harness = await StartAsync(Replica(id).Args("sh", "-c", "exit 1")
            .Restart(new RestartPolicy { Condition = RestartCondition.OnFailure, MaxAttempts = 3 }));

        await Eventually.HoldsAsync(() => harness.Latest(id) is { State: ReplicaState.Failed }, TimeSpan.FromSeconds(20), "replica reported Failed");
        var failed = harness.Latest(id)!;
        Assert.Equal("exited with code 1; gave up after 3 restarts", failed.Message);
        Assert.Equal((3, 1), (failed.RestartCount, failed.ExitCode));
        Assert.Contains(harness.Api.Reports.SelectMany(r => r.Replicas),
            s => s.ReplicaId == id && s.State == ReplicaState.CrashLoopBackOff && s.NextRestartAt is not null);

        // Long enough for a fourth restart at the next back-off (4 s) to show, were there one.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var container = (await DockerCli.ContainerIdsAsync(_cluster.Name)).Single();
        Assert.Equal("exited", await DockerCli.InspectAsync(container, "{{.State.Status}}"));
        var starts = await StartTimesAsync(container, since);
        Assert.Equal(4, starts.Count);
        var gaps = starts.Zip(starts.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.True(gaps[1] >= 0.9 && gaps[2] >= 1.8 && gaps[0] < gaps[1] && gaps[1] < gaps[2], $"gaps between starts: {string.Join(", ", gaps)}");
    }

    [Fact]
    public async Task A_failing_liveness_exec_probe_restarts_the_container()
    {
        var id = DockerCluster.UniqueId("live");
        // Healthy for 3 s after each start, then the file goes and the probe fails.
        await using var harness = await StartAsync(Replica(id).Args("sh", "-c", "touch /tmp/healthy; sleep 3; rm /tmp/healthy; sleep 3600")
            .Liveness(Every1s(new Probe { Exec = new() { Command = ["test", "-f", "/tmp/healthy"] }, FailureThreshold = 2 })));

        await Eventually.HoldsAsync(() => harness.Latest(id) is { State: ReplicaState.Running, RestartCount: >= 1 }, TimeSpan.FromSeconds(20),
            "running again after a liveness restart");
        var status = harness.Latest(id)!;
        Assert.Equal("liveness probe failed 2 times: exit code 1", status.Message);
        var container = (await DockerCli.ContainerIdsAsync(_cluster.Name)).Single();
        Assert.Equal(status.ContainerId, container);
    }

    [Fact]
    public async Task Readiness_http_probe_passes_on_web_1_and_never_on_the_broken_web_3()
    {
        var good = DockerCluster.UniqueId("webg");
        var broken = DockerCluster.UniqueId("webb");
        var probe = Every1s(new Probe { HttpGet = new() { Path = "/", Port = 8080 } });
        await using var harness = await StartAsync(
            Replica(good).Image("local/web:1").Readiness(probe),
            Replica(broken).Service("broken").Image("local/web:3").Readiness(probe));

        await Eventually.HoldsAsync(() => harness.Latest(good) is { Ready: true }, TimeSpan.FromSeconds(15), "web:1 ready");
        Assert.Equal("readiness: HTTP 200", harness.Latest(good)!.LastProbe);

        await Task.Delay(TimeSpan.FromSeconds(4));
        var all = harness.Api.Reports.SelectMany(r => r.Replicas).Where(s => s.ReplicaId == broken).ToList();
        Assert.Contains(all, s => s.State == ReplicaState.Running);
        Assert.DoesNotContain(all, s => s.Ready);
        Assert.Equal("readiness: GET :8080/: Connection refused", harness.Latest(broken)!.LastProbe);
    }

    /// <summary>Every start of the container since <paramref name="since"/>, from the engine's own event log.</summary>
    private static async Task<List<DateTimeOffset>> StartTimesAsync(string container, DateTimeOffset since)
    {
        var lines = await DockerCli.RunAsync("events", "--since", since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "--until", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "--filter", $"container={container}", "--filter", "event=start", "--format", "{{.TimeNano}}");
        return lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(l, CultureInfo.InvariantCulture) / 1_000_000))
            .Order().ToList();
    }
}
