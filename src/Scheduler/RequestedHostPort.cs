namespace Orchestrator.Scheduler;

/// <summary>
/// A host port the request binds, with its rejection text made once per call rather than once per
/// rejected node, which keeps the filter loop free of allocations.
/// </summary>
public sealed class RequestedHostPort(HostPort port)
{
    public HostPort Port { get; } = port;

    /// <summary>"host port in use: 8080/tcp".</summary>
    public string InUseReason { get; } = $"{Reasons.HostPortInUse}: {port}";
}
