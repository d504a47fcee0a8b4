using System.Diagnostics;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>Apply, scale, heal and delete one service on a real engine, counting what Docker really runs.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ServiceLifecycleTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private const string WebYaml = """
        apiVersion: orchestrator/v1
        kind: Service
        metadata:
          name: web
          labels: {app: web}
        spec:
          image: local/web:1
          replicas: 3
          resources:
            cpu: 100m
            memory: 32Mi
          ports:
            - containerPort: 8080
        """;

    [Fact]
    public async Task A_web_service_runs_scales_heals_and_goes_away()
    {
        var manifest = cluster.Manifest("web.yaml", WebYaml);
        var clock = Stopwatch.StartNew();
        var apply = await cluster.Orc("apply", "-f", manifest);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("service/web created", apply.Stdout);

        // 3 containers running, with the requested memory limit, within 10 s of the apply.
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/web")).Count == 3,
            TimeSpan.FromSeconds(10), "3 running web containers");
        var running = await cluster.RunningContainersAsync("default/web");
        Assert.All(running, c => Assert.Equal(32L * 1024 * 1024, c.MemoryLimit));

        // The page answers on a published port.
        var port = running[0].HostPorts.Single();
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            string page = "";
            await Wait.UntilAsync(async () =>
            {
                try { page = await http.GetStringAsync($"http://127.0.0.1:{port}/"); return true; }
                catch (HttpRequestException) { return false; }
            }, TimeSpan.FromSeconds(10), $"the page on port {port}");
            Assert.Contains("hello from web v1", page);
        }

        // The API and the CLI tell the same story as the engine.
        await Wait.UntilAsync(async () => (await cluster.Orc("get", "services")).Stdout.Contains("web"), TimeSpan.FromSeconds(5), "orc get services");
        var replicas = await cluster.Orc("get", "replicas");
        Assert.Equal(3, replicas.Stdout.Split('\n').Count(l => l.Contains("web.") && l.Contains(cluster.NodeName)));

        // Scale up to 6, then down to exactly 2: the others stopped and removed, not merely stopped.
        Assert.Equal(0, (await cluster.Orc("scale", "service", "web", "--replicas", "6")).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/web")).Count == 6,
            TimeSpan.FromSeconds(15), "6 running web containers");
        Assert.Equal(0, (await cluster.Orc("scale", "service", "web", "--replicas", "2")).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.Docker.ContainersAsync(cluster.RunId, "default/web", runningOnly: false)).Count == 2,
            TimeSpan.FromSeconds(15), "exactly 2 web containers left");
        Assert.Equal(2, (await cluster.RunningContainersAsync("default/web")).Count);

        // A container removed by hand is replaced within 10 s.
        var victim = (await cluster.RunningContainersAsync("default/web"))[0];
        Assert.Equal(0, (await cluster.Docker.RemoveForceAsync(victim.Id)).ExitCode);
        await Wait.UntilAsync(async () =>
        {
            var now = await cluster.RunningContainersAsync("default/web");
            return now.Count == 2 && now.All(c => c.Id != victim.Id);
        }, TimeSpan.FromSeconds(10), "the removed replica to be replaced");

        // Delete leaves no container with the orchestrator's labels.
        var delete = await cluster.Orc("delete", "service", "web");
        Assert.True(delete.ExitCode == 0, delete.ToString());
        await Wait.UntilAsync(async () => (await cluster.Docker.ClusterContainerIdsAsync(cluster.RunId)).Count == 0,
            TimeSpan.FromSeconds(15), "every container of the cluster to be removed");
    }

    [Fact]
    public async Task Describe_shows_replicas_with_their_node_and_the_events()
    {
        var manifest = cluster.Manifest("echo.yaml", """
            apiVersion: orchestrator/v1
            kind: Service
            metadata: {name: echo}
            spec:
              image: local/busybox:1
              command: ["sh", "-c", "echo started; sleep 3600"]
              replicas: 2
              resources: {memory: 16Mi}
            """);
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/echo")).Count == 2,
            TimeSpan.FromSeconds(10), "2 running echo containers");
        await Wait.UntilAsync(async () => (await cluster.Orc("describe", "service", "echo")).Stdout.Contains("Started"),
            TimeSpan.FromSeconds(10), "the Started events in describe");

        var describe = await cluster.Orc("describe", "service", "echo");
        Assert.Contains("local/busybox:1", describe.Stdout);
        Assert.Contains(cluster.NodeName, describe.Stdout);
        Assert.Contains("Scheduled", describe.Stdout);

        var again = await cluster.Orc("apply", "-f", manifest);
        Assert.Contains("service/echo unchanged", again.Stdout);
        Assert.Equal(0, (await cluster.Orc("delete", "-f", manifest)).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.Docker.ContainersAsync(cluster.RunId, "default/echo", false)).Count == 0,
            TimeSpan.FromSeconds(15), "the echo containers to be removed");
    }
}
