using Orchestrator.Contracts;

namespace Orchestrator.Scheduler.Scorers;

/// <summary>
/// Spread strategy (Kubernetes' NodeResourcesLeastAllocated): prefer the node with the largest free fraction
/// of cpu and memory after this replica lands, averaged over the two, so load evens out across machines.
/// A resource the node has none of counts as fully used.
/// </summary>
public sealed class LeastAllocatedScorer(int weight = 1) : IScorer
{
    public const string ScorerName = "least allocated";

    public string Name => ScorerName;

    public int Weight { get; } = weight;

    public bool IsActive(PlacementContext ctx) => ctx.Placement.Strategy == PlacementStrategy.Spread;

    public double Score(PlacementContext ctx, NodeCandidate node) => FreeAfter(ctx, node);

    /// <summary>The mean free fraction of cpu and memory once the request is placed on the node, 0..1.</summary>
    internal static double FreeAfter(PlacementContext ctx, NodeCandidate node)
    {
        var cpu = FreeFraction(node.CapacityMilliCpu, node.AllocatedMilliCpu + ctx.Container.MilliCpu);
        var memory = FreeFraction(node.CapacityMemoryBytes, node.AllocatedMemoryBytes + ctx.Container.MemoryBytes);
        return (cpu + memory) / 2;
    }

    private static double FreeFraction(long capacity, long used) =>
        capacity <= 0 ? 0 : Math.Clamp((double)(capacity - used) / capacity, 0, 1);
}
