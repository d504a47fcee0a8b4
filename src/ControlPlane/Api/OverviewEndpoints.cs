using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.Scheduler;

namespace Orchestrator.ControlPlane.Api;

/// <summary>GET /api/v1/overview: nodes with their load and replicas, services, recent events, in one answer (docs/api.md).</summary>
public static class OverviewEndpoints
{
    /// <summary>How many of the newest events the overview carries.</summary>
    public const int EventLimit = 50;

    /// <summary>Warnings of the last hour kept in the overview even when newer normal events would push them out.</summary>
    public const int PinnedWarnings = 10;

    /// <summary>How far back the overview looks for warnings to keep.</summary>
    public static readonly TimeSpan WarningWindow = TimeSpan.FromHours(1);

    public static void MapOverviewEndpoint(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/overview", async (ClusterStore store, EventRecorder events, TimeProvider time, CancellationToken ct) =>
        {
            var nodes = await store.ListNodesAsync(ct);
            var services = await store.ListServicesAsync(null, ct);
            var replicas = await store.ListReplicasAsync(null, null, ct);
            var statuses = (await store.ListReplicaStatusesAsync(null, null, ct)).ToDictionary(s => s.ReplicaId);
            var conditions = await store.ListConditionsAsync(ct);
            var recent = await events.ListAsync(null, EventLimit * 4, ct);
            var rollouts = await store.ListRolloutsAsync(ct);
            return Results.Ok(Build(time.GetUtcNow(), nodes, services, replicas, statuses, conditions, recent, rollouts));
        });

    public static ClusterOverview Build(DateTimeOffset now, IReadOnlyList<NodeInfo> nodes, IReadOnlyList<ServiceObject> services,
        IReadOnlyList<Replica> replicas, IReadOnlyDictionary<string, ReplicaStatus> statuses,
        IReadOnlyDictionary<string, ServiceConditions> conditions, IReadOnlyList<ClusterEvent> events,
        IReadOnlyDictionary<string, RolloutStatus>? rollouts = null)
    {
        // The scheduler's own accounting, so the page shows the allocation placements are decided on.
        var state = SchedulingState.From(new ClusterSnapshot(nodes, replicas));
        var byNode = replicas.ToLookup(r => r.Node);
        return new ClusterOverview
        {
            Time = now,
            Nodes = state.Nodes.Select(n => new NodeOverview
            {
                Node = n.Info,
                Allocated = new NodeCapacity { MilliCpu = n.AllocatedMilliCpu, MemoryBytes = n.AllocatedMemoryBytes },
                HeartbeatAgeSeconds = Math.Max(0, Math.Round((now - n.Info.LastHeartbeat).TotalSeconds, 1)),
                Replicas = ServiceViews.Join(byNode[n.Name], statuses),
            }).ToList(),
            Services = ServiceViews.Views(services, replicas, statuses, conditions, rollouts),
            Events = Recent(events, now),
        };
    }

    /// <summary>
    /// The newest <see cref="EventLimit"/> events, plus the newest warnings of the last hour that they would leave out
    /// (one FailedScheduling must not be pushed out by a run of Ready lines), oldest first.
    /// </summary>
    public static List<ClusterEvent> Recent(IReadOnlyList<ClusterEvent> events, DateTimeOffset now)
    {
        var newest = events.OrderBy(e => e.Time).TakeLast(EventLimit).ToList();
        var warnings = events.Where(e => e.Type == "Warning" && now - e.Time <= WarningWindow)
            .OrderBy(e => e.Time).TakeLast(PinnedWarnings).Where(w => !newest.Contains(w));
        return [.. newest.Concat(warnings).OrderBy(e => e.Time)];
    }
}
