namespace Orchestrator.Scheduler.Filters;

/// <summary>
/// A fixed host port (with its protocol) can be bound by one container per node only, and not at all where another
/// program holds it (the node's agent reports those, <see cref="Contracts.NodeInfo.PortsInUse"/>).
/// </summary>
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
        {
            if (node.IsHostPortInUse(requested[i].Port)) return FilterStatus.Unschedulable(requested[i].InUseReason);
            // Nothing the cluster places or removes frees it: preempting there would be pointless.
            if (node.OtherProgramOn(requested[i].Port) is { } held) return FilterStatus.Unresolvable(held);
        }
        return FilterStatus.Success;
    }
}
