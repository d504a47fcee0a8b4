using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>Restart policies through the whole path: manifest, control plane, agent, engine, reported status.</summary>
[Trait("Category", "EndToEnd")]
public sealed class RestartPolicyTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    [Fact]
    public async Task On_failure_with_three_attempts_restarts_three_times_with_growing_delays_then_leaves_it_stopped()
    {
        var manifest = cluster.Manifest("crash.yaml", """
            apiVersion: orchestrator/v1
            kind: Service
            metadata: {name: crash}
            spec:
              image: local/busybox:1
              command: ["sh", "-c", "sleep 0.2; exit 1"]
              replicas: 1
              restartPolicy:
                condition: on-failure
                maxAttempts: 3
                delay: 1s
                maxDelay: 30s
            """);
        // The engine is the witness: every start of the one container is a "start" event, the first too. (Sampling the
        // container's StartedAt missed it once: the first restart is immediate, so the first start lasted half a second.)
        using var events = cluster.Docker.StartServiceEvents(cluster.RunId, "default/crash", DateTimeOffset.UtcNow.AddSeconds(-1));
        var starts = new System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset>();
        events.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Split(' ') is [var nanos, "start", _])
                starts.Enqueue(DateTimeOffset.UnixEpoch.AddTicks(long.Parse(nanos, System.Globalization.CultureInfo.InvariantCulture) / 100));
        };
        events.BeginOutputReadLine();
        events.BeginErrorReadLine();
        try
        {
            Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);
            await Wait.UntilAsync(async () =>
            {
                var view = (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=crash"))?.SingleOrDefault();
                return starts.Count >= 4 && view?.Status is { State: ReplicaState.Failed, RestartCount: 3 };
            }, TimeSpan.FromSeconds(40), "three restarts and the Failed state", poll: TimeSpan.FromMilliseconds(100));

            var times = starts.Order().ToList();
            var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
            Assert.Equal(3, gaps.Count);
            Assert.True(gaps[1] > gaps[0] && gaps[2] > gaps[1], $"delays should grow: {string.Join(", ", gaps.Select(g => g.ToString("0.00")))}");

            // Left stopped: no fourth start.
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Equal(4, starts.Count);
            var after = (await cluster.Docker.ContainersAsync(cluster.RunId, "default/crash", runningOnly: false)).Single();
            Assert.NotEqual("running", after.State);
            var replicas = await cluster.Orc("get", "replicas");
            Assert.Contains("Failed", replicas.Stdout);
        }
        finally { ProcessRunner.Stop(events); }
    }
}
