using System.Diagnostics;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Rolling updates through the whole path on the machine's engine, with the locally built images local/web:1, :2 and
/// the broken :3 (it serves on 8081, so a readiness probe on 8080 never passes). One story, because every step starts
/// from where the previous one left the service.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class RolloutTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private const string Web = "default/web";

    private string WebManifest(int version) => cluster.Manifest($"web-v{version}.yaml", $"""
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {"{"}name: web{"}"}
        spec:
          image: local/web:{version}
          replicas: 6
          resources: {"{"}memory: 16Mi{"}"}
          readinessProbe:
            httpGet: {"{"}path: /, port: 8080{"}"}
            periodSeconds: 1
            timeoutSeconds: 1
            failureThreshold: 3
          stopGracePeriod: 2s
          updateStrategy:
            maxSurge: 1
            maxUnavailable: 1
            order: start-first
            progressDeadline: 2m
            onFailure: rollback
        """);

    [Fact]
    public async Task Update_roll_back_a_broken_revision_undo_and_scale_without_restarting_anything_unchanged()
    {
        var other = cluster.Manifest("other.yaml", SleepService.Yaml("other", 2));
        Assert.Equal(0, (await cluster.Orc("apply", "-f", other)).ExitCode);
        var created = await cluster.Orc("apply", "-f", WebManifest(1), "--wait", "--timeout", "00:02:00");
        Assert.True(created.ExitCode == 0, created.ToString());
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/other")).Count == 2, TimeSpan.FromSeconds(30), "other running");
        var otherIds = await Ids("default/other");

        // v1 -> v2, maxUnavailable 1, maxSurge 1: ready >= 5 (the API, sampled every 100 ms) and running <= 7 (every
        // container start and death the engine reports) throughout.
        await using var counted = await RunningCountLog.StartAsync([cluster.Docker], cluster.RunId, Web);
        Assert.Equal(0, (await cluster.Orc("apply", "-f", WebManifest(2))).ExitCode);
        var (minReady, status) = await SampleReadyWhile(cluster.Orc("rollout", "status", "web", "--timeout", "00:03:00"));
        var (_, maxRunning) = await counted.MinMaxAsync();
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("successfully rolled out", status.Stdout);
        Assert.True(minReady >= 5, $"ready replicas dropped to {minReady}");
        Assert.True(maxRunning <= 7, $"{maxRunning} web containers ran at once");
        var v2 = await cluster.RunningContainersAsync(Web);
        Assert.Equal(6, v2.Count);
        Assert.All(v2, c => Assert.Equal("local/web:2", c.Image));
        Measurements.Record($"rollout v1 -> v2 of 6 replicas (maxSurge 1, maxUnavailable 1): ready never below {minReady}, at most {maxRunning} running");

        // An unrelated rollout never touches another service's containers.
        Assert.Equal(otherIds, await Ids("default/other"));

        // v2 -> broken v3 with onFailure rollback: status fails naming the check, and 6 ready v2 replicas are left.
        var v2Ids = v2.Select(c => c.Id).ToHashSet();
        Assert.Equal(0, (await cluster.Orc("apply", "-f", WebManifest(3))).ExitCode);
        var failed = await cluster.Orc("rollout", "status", "web", "--timeout", "00:03:00");
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("readiness probe (http-get :8080/)", failed.Stderr);
        Assert.Contains("rolled back", failed.Stderr);
        await Wait.UntilAsync(async () =>
        {
            var running = await cluster.RunningContainersAsync(Web);
            var detail = await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/web");
            return running.Count == 6 && running.All(c => c.Image == "local/web:2") && detail?.Status.Ready == 6;
        }, TimeSpan.FromSeconds(60), "6 ready v2 replicas after the rollback");
        // The rollout stopped at the first failing replica: at most the surge and the one unavailable slot were touched.
        var kept = (await cluster.RunningContainersAsync(Web)).Count(c => v2Ids.Contains(c.Id));
        Assert.True(kept >= 4, $"only {kept} of the v2 containers survived the failed rollout");

        var history = await cluster.Orc("rollout", "history", "web");
        Assert.Contains("image local/web:1 -> local/web:2", history.Stdout);
        Assert.Contains("image local/web:2 -> local/web:3", history.Stdout);
        Assert.Contains("rollback to revision 2: revision 3 failed", history.Stdout);

        // Undo to revision 1 brings v1 back.
        var undo = await cluster.Orc("rollout", "undo", "web", "--to-revision", "1");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        var back = await cluster.Orc("rollout", "status", "web", "--timeout", "00:03:00");
        Assert.True(back.ExitCode == 0, back.ToString());
        var v1 = await cluster.RunningContainersAsync(Web);
        Assert.Equal(6, v1.Count);
        Assert.All(v1, c => Assert.Equal("local/web:1", c.Image));
        Assert.Contains("rollback to revision 1", (await cluster.Orc("rollout", "history", "web")).Stdout);

        // A pure scale 6 -> 8 starts 2 containers and restarts none.
        var before = v1.ToDictionary(c => c.Id, c => c.StartedAt);
        Assert.Equal(0, (await cluster.Orc("scale", "service", "web", "--replicas", "8")).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync(Web)).Count == 8, TimeSpan.FromSeconds(30), "8 running");
        var after = await cluster.RunningContainersAsync(Web);
        Assert.Equal(2, after.Count(c => !before.ContainsKey(c.Id)));
        Assert.All(after.Where(c => before.ContainsKey(c.Id)), c => Assert.Equal(before[c.Id], c.StartedAt));
        Assert.Equal(otherIds, await Ids("default/other"));
    }

    private async Task<List<string>> Ids(string service) =>
        (await cluster.RunningContainersAsync(service)).Select(c => c.Id).Order().ToList();

    /// <summary>Samples the API's ready count every 100 ms until the command ends (readiness is the control plane's, not an engine event).</summary>
    private async Task<(int MinReady, CommandResult Result)> SampleReadyWhile(Task<CommandResult> command)
    {
        var minReady = int.MaxValue;
        var clock = Stopwatch.StartNew();
        while (!command.IsCompleted)
        {
            var tick = clock.Elapsed;
            if (await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/web") is { } d) minReady = Math.Min(minReady, d.Status.Ready);
            var rest = TimeSpan.FromMilliseconds(100) - (clock.Elapsed - tick);
            if (rest > TimeSpan.Zero) await Task.Delay(rest);
        }
        return (minReady, await command);
    }
}
