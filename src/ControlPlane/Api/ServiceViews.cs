using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>Joins services with their replicas, reported statuses and conditions into what the API shows.</summary>
public sealed class ServiceViews(ClusterStore store, EventRecorder events)
{
    public async Task<IReadOnlyList<ServiceView>> ListAsync(string? ns, CancellationToken ct)
    {
        var services = await store.ListServicesAsync(ns, ct);
        var replicas = await store.ListReplicasAsync(ns, null, ct);
        var statuses = (await store.ListReplicaStatusesAsync(ns, null, ct)).ToDictionary(s => s.ReplicaId);
        var conditions = await store.ListConditionsAsync(ct);
        return Views(services, replicas, statuses, conditions, await store.ListRolloutsAsync(ct));
    }

    /// <summary>Each service with the counts of its replicas (the overview reads the same data once for all of its parts).</summary>
    public static List<ServiceView> Views(IEnumerable<ServiceObject> services, IEnumerable<Replica> replicas,
        IReadOnlyDictionary<string, ReplicaStatus> statuses, IReadOnlyDictionary<string, ServiceConditions> conditions,
        IReadOnlyDictionary<string, RolloutStatus>? rollouts = null)
    {
        var byService = replicas.ToLookup(r => r.ServiceKey);
        return services.Select(s => new ServiceView
        {
            Service = s,
            Status = Status(s, byService[s.Key].ToList(), statuses, conditions.GetValueOrDefault(s.Key)),
            Rollout = rollouts?.GetValueOrDefault(s.Key),
        }).ToList();
    }

    public async Task<ServiceDetail?> GetAsync(string ns, string name, CancellationToken ct)
    {
        var service = await store.GetServiceAsync(ns, name, ct);
        if (service is null) return null;
        var replicas = await store.ListReplicasAsync(ns, name, ct);
        var statuses = (await store.ListReplicaStatusesAsync(ns, name, ct)).ToDictionary(s => s.ReplicaId);
        var conditions = await store.GetConditionsAsync(ns, name, ct);
        return new ServiceDetail
        {
            Service = service,
            Status = Status(service, replicas, statuses, conditions),
            Replicas = Join(replicas, statuses),
            Events = (await events.ListAsync(EventRecorder.ServiceScope(ns, name), 50, ct)).ToList(),
            Rollout = await store.GetRolloutAsync(ns, name, ct),
        };
    }

    public static List<ReplicaView> Join(IEnumerable<Replica> replicas, IReadOnlyDictionary<string, ReplicaStatus> statuses) =>
        replicas.OrderBy(r => r.Namespace).ThenBy(r => r.Service).ThenBy(r => r.Slot)
            .Select(r => new ReplicaView { Replica = r, Status = statuses.GetValueOrDefault(r.Id) })
            .ToList();

    /// <summary>Desired, running, ready and pending of one service; the API and the metrics count alike through it.</summary>
    public static ServiceStatus Status(ServiceObject s, IReadOnlyList<Replica> replicas,
        IReadOnlyDictionary<string, ReplicaStatus> statuses, ServiceConditions? conditions)
    {
        var running = replicas.Count(r => statuses.GetValueOrDefault(r.Id) is { State: ReplicaState.Running } st && st.ContainerId is not null);
        // A terminating replica is out of service whatever its last report said.
        var ready = replicas.Count(r => !r.Terminating && statuses.GetValueOrDefault(r.Id) is { State: ReplicaState.Running, Ready: true });
        // A slot whose replica sits on a Down node and whose successor cannot be placed (its volume is on that node) is
        // assigned but pending all the same: the last reconcile's unplaced count says so.
        var pending = Math.Max(Math.Max(0, s.Spec.Replicas - replicas.Count(r => r.Slot >= 1 && r.Slot <= s.Spec.Replicas)),
            conditions?.ObservedGeneration == s.Metadata.Generation ? conditions.PendingCount : 0);
        return new ServiceStatus
        {
            Desired = s.Spec.Replicas,
            Assigned = replicas.Count,
            Running = running,
            Ready = ready,
            Pending = pending,
            PendingReason = pending > 0 ? conditions?.PendingReason : null,
            Reason = (pending > 0 ? conditions?.PendingReason : null) ?? replicas.Where(r => !r.Terminating).OrderBy(r => r.Slot)
                .Select(r => ReplicaReasons.Problem(statuses.GetValueOrDefault(r.Id))).FirstOrDefault(p => p is not null),
            StuckReason = conditions?.StuckReason,
        };
    }
}
