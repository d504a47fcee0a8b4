using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>
/// The agent's own traces and metrics. A container create continues the trace of the apply that placed the
/// replica (its W3C traceparent travels in <see cref="Contracts.Replica.TraceParent"/>), so one trace shows
/// the path from `orc apply` to the running container.
/// </summary>
public static class AgentInstruments
{
    public const string Name = "Orchestrator.NodeAgent";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    /// <summary>Actions performed, by kind (create, start, remove) and outcome (ok, error).</summary>
    public static readonly Counter<long> Actions = Meter.CreateCounter<long>("orchestrator.agent.actions", description: "container actions performed by the agent");

    public static Activity? StartAction(string name, string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Internal, parent)
            : Source.StartActivity(name);
}
