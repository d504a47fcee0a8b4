namespace Orchestrator.Scheduler;

/// <summary>kube-scheduler's status codes: whether a rejection could go away without changing the node itself.</summary>
public enum FilterCode
{
    Success,
    /// <summary>The node could take the replica once something on it is freed (cpu, memory, a host port).</summary>
    Unschedulable,
    /// <summary>Nothing placed or removed on the node changes the answer (not ready, cordoned): retrying or preempting there is pointless.</summary>
    UnschedulableAndUnresolvable,
}

/// <summary>A filter's answer for one node: never a bare bool, so a rejection always says why.</summary>
public readonly record struct FilterStatus(FilterCode Code, string? Reason)
{
    public static readonly FilterStatus Success = new(FilterCode.Success, null);

    public bool IsSuccess => Code == FilterCode.Success;

    public static FilterStatus Unschedulable(string reason) => new(FilterCode.Unschedulable, reason);

    public static FilterStatus Unresolvable(string reason) => new(FilterCode.UnschedulableAndUnresolvable, reason);
}
