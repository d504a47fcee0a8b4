namespace Orchestrator.Scheduler.Filters;

/// <summary>
/// The node's allocatable cpu and memory must hold what is already allocated plus the request.
/// A request of 0 always fits, even on a node that is already overcommitted, as in Kubernetes:
/// a container that asks for nothing is not refused because of what others asked for.
/// Cpu is checked first, so a node short of both is counted once, under "insufficient cpu".
/// </summary>
public sealed class ResourceFitFilter : IFilter
{
    public const string FilterName = "resource fit";

    public string Name => FilterName;

    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node)
    {
        if (!Fits(ctx.Container.MilliCpu, node.AllocatedMilliCpu, node.CapacityMilliCpu))
            return FilterStatus.Unschedulable(Reasons.InsufficientCpu);
        if (!Fits(ctx.Container.MemoryBytes, node.AllocatedMemoryBytes, node.CapacityMemoryBytes))
            return FilterStatus.Unschedulable(Reasons.InsufficientMemory);
        return FilterStatus.Success;
    }

    // Written as request <= capacity - allocated so that large values cannot overflow the sum.
    private static bool Fits(long request, long allocated, long capacity) =>
        request <= 0 || request <= capacity - allocated;
}
