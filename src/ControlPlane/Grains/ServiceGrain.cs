using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Reconcile;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ServiceDefaults;

namespace Orchestrator.ControlPlane.Grains;

public sealed class ServiceGrain(ClusterStore store, EventRecorder events, TimeProvider time) : Grain, IServiceGrain
{
    private string Ns => this.GetPrimaryKeyString().Split('/')[0];
    private string Name => this.GetPrimaryKeyString().Split('/')[1];

    public async Task<ReconcileSummary> Reconcile(string? traceParent)
    {
        // The caller's trace crosses the grain call as an argument: Orleans does not carry the ambient one.
        using var activity = Telemetry.Source.StartContinued("ServiceGrain.Reconcile", traceParent);
        activity?.SetTag("orchestrator.service", this.GetPrimaryKeyString());
        var clock = time.GetTimestamp();
        try
        {
            return await ReconcileAsync(activity?.Id ?? traceParent);
        }
        finally
        {
            Telemetry.ReconcileDuration.Record(time.GetElapsedTime(clock).TotalSeconds);
        }
    }

    private async Task<ReconcileSummary> ReconcileAsync(string? traceParent)
    {
        var service = await store.GetServiceAsync(Ns, Name);
        var replicas = await store.ListReplicasAsync(Ns, Name);
        var nodes = await store.ListNodesAsync();
        var running = (await store.ListReplicaStatusesAsync(Ns, Name))
            .Where(s => s.State == ReplicaState.Running).Select(s => s.ReplicaId).ToHashSet();
        var plan = ServiceReconciler.Plan(service, replicas, nodes.ToDictionary(n => n.Name, NodeView.Of), running);

        var removed = 0;
        if (plan.Remove.Count > 0)
        {
            // A replica that changed meanwhile makes the whole removal lose; the next reconcile sees the new state.
            if (await store.RemoveReplicasAsync(plan.Remove.Select(r => r.Replica).ToList()) is not { } revision)
                return new ReconcileSummary(0, 0, 0, null);
            removed = plan.Remove.Count;
            // A Down node that comes back must have applied these deletions before it counts again.
            foreach (var node in plan.Remove.Where(r => r.Reason == ServiceReconciler.ReasonNodeDown).Select(r => r.Replica.Node).Distinct())
                await store.UpdateNodeAsync(node, n => n! with { FenceRevision = Math.Max(n.FenceRevision, revision) });
            foreach (var group in plan.Remove.GroupBy(r => r.Reason))
            {
                var names = string.Join(", ", group.Select(r => $"{r.Replica.ContainerName} on {r.Replica.Node}"));
                await events.ServiceEventAsync(Ns, Name, "Removed", $"removed {group.Count()} replica(s) ({group.Key}): {names}");
            }
        }

        if (service is null)
        {
            DeactivateOnIdle();
            return new ReconcileSummary(removed, 0, 0, null);
        }

        var placement = plan.Place.Count == 0
            ? new PlacementSummary(0, 0, null, [])
            : await GrainFactory.GetGrain<IPlacementGrain>(0).Place(Ns, Name, plan.Place.ToArray(), traceParent);
        await RecordConditionsAsync(service, placement);
        return new ReconcileSummary(removed, placement.Placed, placement.Unplaced, placement.Explanation);
    }

    /// <summary>Stores the pending reason when it changes, and says so once as an event rather than on every retry.</summary>
    private async Task RecordConditionsAsync(ServiceObject service, PlacementSummary placement)
    {
        var previous = await store.GetConditionsAsync(Ns, Name);
        var next = new ServiceConditions
        {
            ObservedGeneration = service.Metadata.Generation,
            PendingCount = placement.Unplaced,
            PendingReason = placement.Unplaced > 0 ? placement.Explanation : null,
        };
        if (previous == next) return;
        await store.SaveConditionsAsync(Ns, Name, next);
        if (next.PendingReason is not null && next.PendingReason != previous?.PendingReason)
            await events.ServiceEventAsync(Ns, Name, "FailedScheduling", $"{next.PendingCount} replica(s) pending: {next.PendingReason}", warning: true);
    }
}
