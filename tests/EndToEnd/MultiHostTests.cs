using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>The testbed's hosts share one fixture; the one-machine tests never run beside it.</summary>
[CollectionDefinition(Name)]
public sealed class MultiHostCollection : ICollectionFixture<MultiHostCluster>
{
    public const string Name = "MultiHost";
}

/// <summary>Three hosts, each a network namespace with its own dockerd and agent: placement counted in each host's engine.</summary>
[Trait("Category", "EndToEnd")]
[Collection(MultiHostCollection.Name)]
public sealed class MultiHostTests(MultiHostCluster cluster)
{
    [Fact]
    public async Task Three_hosts_register_spread_replicas_and_serve_on_their_own_addresses()
    {
        // Every host registered with its labels and is Ready.
        var nodes = await cluster.Orc("get", "nodes");
        Assert.True(nodes.ExitCode == 0, nodes.ToString());
        // The STATE column exactly: "NotReady" or "Ready,SchedulingDisabled" contain "Ready" too.
        foreach (var host in cluster.Hosts)
            Assert.Contains(nodes.Stdout.Split('\n'), l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var name, var state, ..] && name == host.Name && state == "Ready");
        var zones = (await cluster.TryGetAsync<List<Contracts.NodeInfo>>("/api/v1/nodes"))!.ToDictionary(n => n.Name, n => n.Labels.GetValueOrDefault("zone"));
        Assert.Equal(["a", "b", "a"], cluster.Hosts.Select(h => zones[h.Name]));

        // 6 sleepers land 2/2/2, counted in each host's own dockerd.
        var sleepers = cluster.Manifest("sleepers.yaml", """
            apiVersion: orchestrator/v1
            kind: Service
            metadata: {name: sleepers}
            spec:
              image: local/busybox:1
              command: ["sleep", "3600"]
              replicas: 6
              resources: {cpu: 10m, memory: 16Mi}
            """);
        try
        {
            await SpreadAndServeAsync(sleepers);
        }
        finally
        {
            // The hosts are shared with the other multi-host classes: leave them empty.
            await cluster.Orc("delete", "service", "sleepers");
            await cluster.Orc("delete", "service", "web");
        }
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "sleepers") + await cluster.CountRunningAsync("default", "web") == 0,
            TimeSpan.FromSeconds(30), "sleepers and web gone from every host");
    }

    private async Task SpreadAndServeAsync(string sleepers)
    {
        var apply = await cluster.Orc("apply", "-f", sleepers);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        IReadOnlyDictionary<string, int> spread = new Dictionary<string, int>();
        await Wait.UntilAsync(async () =>
        {
            spread = await cluster.RunningPerHostAsync("default", "sleepers");
            return spread.Values.Sum() == 6;
        }, TimeSpan.FromSeconds(20), "6 running sleepers over the hosts");
        Assert.All(cluster.Hosts, h => Assert.Equal(2, spread[h.Name]));

        // A web replica answers on its own host's address and the port that host's engine published.
        var web = cluster.Manifest("web.yaml", """
            apiVersion: orchestrator/v1
            kind: Service
            metadata: {name: web}
            spec:
              image: local/web:1
              replicas: 3
              resources: {cpu: 10m, memory: 16Mi}
              ports:
                - containerPort: 8080
            """);
        Assert.Equal(0, (await cluster.Orc("apply", "-f", web)).ExitCode);
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "web") == 3,
            TimeSpan.FromSeconds(20), "3 running web replicas");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // 3 replicas over 3 hosts are spread one per host, so every host's own address is tried.
        foreach (var host in cluster.Hosts)
        {
            var replicas = await cluster.ContainersOnHostAsync(host, "default", "web", runningOnly: true);
            Assert.True(replicas.Count == 1, $"{host.Name} runs {replicas.Count} web replicas, wanted 1");
            var url = $"http://{host.Address}:{replicas[0].HostPorts.Single()}/";
            var page = "";
            await Wait.UntilAsync(async () =>
            {
                try { page = await http.GetStringAsync(url); return true; }
                catch (HttpRequestException) { return false; }
                catch (TaskCanceledException) { return false; }
            }, TimeSpan.FromSeconds(10), $"the page at {url} on {host}");
            Assert.Contains("hello from web v1", page);
        }
    }
}
