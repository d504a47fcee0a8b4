using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orchestrator.ServiceDefaults;

namespace Orchestrator.ControlPlane;

/// <summary>
/// The control plane's spans and its event-driven instruments (docs/metrics.md). The gauges of cluster state are
/// in <see cref="Hosting.ClusterMetrics"/>, read from a snapshot.
/// </summary>
public static class Telemetry
{
    public const string Name = "Orchestrator.ControlPlane";
    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    /// <summary>Placement attempts: one per PlacementGrain.Place call that had open slots.</summary>
    public static readonly Counter<long> SchedulingAttempts = Meter.CreateCounter<long>("orchestrator.scheduling.attempts", "{attempt}",
        "placement attempts for a service's open slots");

    /// <summary>Replicas an attempt could not place, by reason: unschedulable (no node fits) or conflict (the service changed meanwhile).</summary>
    public static readonly Counter<long> SchedulingFailures = Meter.CreateCounter<long>("orchestrator.scheduling.failures", "{replica}",
        "replicas a placement attempt left unplaced");

    public static readonly Histogram<double> SchedulingDuration = Meter.CreateSecondsHistogram("orchestrator.scheduling.duration",
        "one placement attempt: snapshot read, scheduler decision and the etcd write");

    public static readonly Histogram<double> ReconcileDuration = Meter.CreateSecondsHistogram("orchestrator.reconcile.duration",
        "one service reconcile in its ServiceGrain, placement included");

    public static readonly Histogram<double> ReconcilePassDuration = Meter.CreateSecondsHistogram("orchestrator.reconcile.pass.duration",
        "one pass of the periodic loop over every service");

    /// <summary>
    /// Assignment streams opened by agents, by how they start (start = sync: the node's whole set, a relist; resume: from
    /// the agent's revision, out of the cache's memory; expired: a revision the memory no longer reaches, so the agent relists).
    /// After a control-plane failover the survivors should count resumes, not syncs.
    /// </summary>
    public static readonly Counter<long> AssignmentStreams = Meter.CreateCounter<long>("orchestrator.assignment.streams", "{stream}",
        "assignment streams opened, by start: sync (a full relist), resume (from the agent's revision) or expired");

    public static readonly Histogram<double> EtcdRequestDuration = Meter.CreateSecondsHistogram("orchestrator.etcd.request.duration",
        "one etcd request, by operation (get, range, txn, lease_grant, watch) and outcome (ok, error)");
}
