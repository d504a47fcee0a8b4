using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>Four hosts: h1 and h3 in zone a, h2 in zone b; h4 (zone b, disk=ssd) joins during the test.</summary>
public sealed class FourHostsOneJoiningLater()
    : MultiHostCluster(4, h => h.Index switch { 1 or 3 => "zone=a", 2 => "zone=b", _ => "zone=b,disk=ssd" }, agentsAtStart: 3);

[CollectionDefinition(Name)]
public sealed class PlacementCollection : ICollectionFixture<FourHostsOneJoiningLater>
{
    public const string Name = "placement on several hosts";
}

/// <summary>The placement model on real hosts: spread over zones, selectors that wait for the right machine.</summary>
[Trait("Category", "EndToEnd")]
[Collection(PlacementCollection.Name)]
public sealed class PlacementTests(FourHostsOneJoiningLater cluster)
{
    private string Service(string name, int replicas, string placement) =>
        cluster.Manifest($"{name}.yaml", SleepService.Yaml(name, replicas, placement));

    [Fact]
    public async Task Four_replicas_spread_over_two_zones_land_two_and_two()
    {
        var manifest = Service("zonal", 4, "    topologySpread: [{topologyKey: zone, maxSkew: 1}]");
        var apply = await cluster.Orc("apply", "-f", manifest);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "zonal") == 4, TimeSpan.FromSeconds(20), "4 running");

        var perHost = await cluster.RunningPerHostAsync("default", "zonal");
        var nodes = (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes"))!.ToDictionary(n => n.Name, n => n.Labels["zone"]);
        var perZone = perHost.Where(p => p.Value > 0).GroupBy(p => nodes[p.Key]).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));
        Assert.Equal(2, perZone.GetValueOrDefault("a"));
        Assert.Equal(2, perZone.GetValueOrDefault("b"));
        Assert.Equal(0, (await cluster.Orc("delete", "service", "zonal")).ExitCode);
    }

    [Fact]
    public async Task A_selector_nobody_matches_stays_pending_with_the_reason_until_a_matching_node_joins()
    {
        var manifest = Service("fast", 1, "    nodeSelector: {disk: ssd}");
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);

        await Wait.UntilAsync(async () => (await cluster.Orc("describe", "service", "fast")).Stdout.Contains("did not match node selector"),
            TimeSpan.FromSeconds(10), "the pending reason in orc describe");
        var describe = await cluster.Orc("describe", "service", "fast");
        Assert.Contains("0/3 nodes available: 3 did not match node selector", describe.Stdout);
        Assert.Contains("1 pending", describe.Stdout);
        Assert.Equal(0, await cluster.CountRunningAsync("default", "fast"));

        var h4 = cluster.Host("h4");
        await cluster.JoinAsync(h4);
        var joined = System.Diagnostics.Stopwatch.StartNew();
        await Wait.UntilAsync(async () => (await cluster.ContainersOnHostAsync(h4, "default", "fast")).Count == 1,
            TimeSpan.FromSeconds(10), "the pending replica placed and running on the new node");
        Measurements.Record($"pending replica placed and running {joined.Elapsed.TotalSeconds:0.0} s after its node registered");
        Assert.Equal(0, (await cluster.Orc("delete", "service", "fast")).ExitCode);
    }
}
