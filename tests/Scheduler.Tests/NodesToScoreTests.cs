namespace Orchestrator.Scheduler.Tests;

[Trait("Category", "Unit")]
public sealed class NodesToScoreTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 100)]
    [InlineData(101, 100)]
    [InlineData(1_000, 420)]
    [InlineData(5_000, 500)]
    [InlineData(100_000, 5_000)]
    public void Scores_kube_schedulers_adaptive_share(int nodes, int scored) => Assert.Equal(scored, NodesToScore.Adaptive(nodes));

    [Fact]
    public void Sampling_keeps_every_filter_on_a_large_cluster()
    {
        // 600 nodes: only 100 feasible ones are scored per slot, yet spread and maxPerNode are exact.
        var nodes = Enumerable.Range(0, 600).Select(i => Node($"n{i:D3}").Zone("abc"[i % 3].ToString())).ToArray();
        var placer = Placer.CreateDefault(_ => 100);

        var result = placer.Place(Cluster(nodes), Request("web").Spread("zone").MaxPerNode(1).Count(300));

        Assert.Empty(result.Unplaced);
        Assert.Equal(300, result.Placements.Select(p => p.Node).Distinct().Count());
        var perZone = result.Placements.GroupBy(p => int.Parse(p.Node[1..]) % 3).Select(g => g.Count()).ToList();
        Assert.Equal([100, 100, 100], perZone);
    }
}
