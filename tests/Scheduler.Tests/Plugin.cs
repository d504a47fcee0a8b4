namespace Orchestrator.Scheduler.Tests;

/// <summary>Runs one plugin against one node of a cluster, with the same working state the placer builds.</summary>
internal static class Plugin
{
    public static FilterStatus Filter(IFilter filter, ClusterSnapshot cluster, PlacementRequest request, string node = "n1")
    {
        var ctx = PlacementContext.Create(cluster, request);
        return filter.Filter(ctx, ctx.Node(node)!);
    }

    public static double Score(IScorer scorer, ClusterSnapshot cluster, PlacementRequest request, string node = "n1")
    {
        var ctx = PlacementContext.Create(cluster, request);
        return scorer.Score(ctx, ctx.Node(node)!);
    }

    /// <summary>How many of the result's placements landed on each node, as "n1=2,n2=2" for readable failures.</summary>
    public static string Spread(PlacementResult result) =>
        string.Join(",", result.Placements.GroupBy(p => p.Node).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
}
