using System.Diagnostics;

namespace Orchestrator.ServiceDefaults;

public static class TraceContinuation
{
    /// <summary>
    /// A span continuing the W3C traceparent that crossed a boundary with no ambient context (a grain call argument,
    /// a replica in etcd); without a valid one, a child of the current span or a new trace.
    /// </summary>
    public static Activity? StartContinued(this ActivitySource source, string name, string? traceParent, ActivityKind kind = ActivityKind.Internal) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? source.StartActivity(name, kind, parent)
            : source.StartActivity(name, kind);
}
