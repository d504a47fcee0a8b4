using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;
using Orchestrator.ServiceDefaults;

namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>
/// The agent's own traces and metrics (docs/metrics.md). A container create continues the trace of the apply that
/// placed the replica (its W3C traceparent travels in <see cref="Contracts.Replica.TraceParent"/>), so one trace shows
/// the path from `orc apply` to the running container.
/// </summary>
public static class AgentInstruments
{
    public const string Name = "Orchestrator.NodeAgent";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    /// <summary>Actions performed, by kind (create, start, remove) and outcome (ok, error).</summary>
    public static readonly Counter<long> Actions = Meter.CreateCounter<long>("orchestrator.agent.actions", "{action}", "container actions performed by the agent");

    /// <summary>New containers created and started for a replica (a first start, or a replacement of a removed one).</summary>
    public static readonly Counter<long> ContainerStarts = Meter.CreateCounter<long>("orchestrator.agent.container.starts", "{container}",
        "containers created and started by the agent");

    /// <summary>Exited containers started again under their restart policy.</summary>
    public static readonly Counter<long> ContainerRestarts = Meter.CreateCounter<long>("orchestrator.agent.container.restarts", "{container}",
        "exited containers started again by the agent (restart policy)");

    /// <summary>Containers stopped and removed (scaled down, spec changed, unassigned, duplicate, dead).</summary>
    public static readonly Counter<long> ContainerStops = Meter.CreateCounter<long>("orchestrator.agent.container.stops", "{container}",
        "containers stopped and removed by the agent");

    /// <summary>From the create call to the engine to the container running.</summary>
    public static readonly Histogram<double> ContainerStartDuration = Meter.CreateSecondsHistogram("orchestrator.agent.container.start.duration",
        "time from the create call to the container running");

    /// <summary>One bringing in line of the host's cluster network: routes, the iptables chains (when they changed) and DNS answers.</summary>
    public static readonly Histogram<double> NetworkSyncDuration = Meter.CreateSecondsHistogram("orchestrator.agent.network.sync.duration",
        "time to bring the host's routes, balancing rules and DNS in line with the control plane's nodes and endpoints");

    public static Activity? StartAction(string name, string? traceParent) => Source.StartContinued(name, traceParent);

    /// <summary>The namespace and service tags of a replica.</summary>
    public static TagList ServiceTags(string? ns, string? service) => new()
    {
        { "namespace", ns ?? "" },
        { "service", service ?? "" },
    };

    /// <summary>Running containers per (namespace, service), as the gauge reports them; containers without the labels are left out.</summary>
    public static IEnumerable<Measurement<long>> RunningByService(IEnumerable<ObservedContainer> observed) =>
        observed.Where(c => c.IsRunning && c.Labels.ContainsKey(ContainerLabels.Service))
            .GroupBy(c => (Ns: c.Labels.GetValueOrDefault(ContainerLabels.Namespace), Service: c.Labels[ContainerLabels.Service]))
            .OrderBy(g => g.Key.Ns).ThenBy(g => g.Key.Service)
            .Select(g => new Measurement<long>(g.Count(), ServiceTags(g.Key.Ns, g.Key.Service)));
}
