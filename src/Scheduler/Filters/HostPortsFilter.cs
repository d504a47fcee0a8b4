namespace Orchestrator.Scheduler.Filters;

/// <summary>A fixed host port (with its protocol) can be bound by one container per node only.</summary>
public sealed class HostPortsFilter : IFilter
{
    public const string FilterName = "host ports";

    public string Name => FilterName;

    public bool IsActive(PlacementContext ctx) => ctx.RequestedHostPorts.Count > 0;

    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node)
    {
        // Indexed rather than foreach: an interface enumerator would allocate once per node per slot.
        var requested = ctx.RequestedHostPorts;
        for (var i = 0; i < requested.Count; i++)
            if (node.IsHostPortInUse(requested[i].Port)) return FilterStatus.Unschedulable(requested[i].InUseReason);
        return FilterStatus.Success;
    }
}
