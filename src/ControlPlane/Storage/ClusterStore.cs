using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// Typed access to the cluster's state in etcd. Every write is a transaction guarded by the mod revisions that were read,
/// and objects carry their etcd mod revision as metadata.resourceVersion.
/// </summary>
public sealed class ClusterStore(EtcdKv kv, Keys keys, TimeProvider time)
{

    // ---- services ----

    public async Task<ServiceObject?> GetServiceAsync(string ns, string name, CancellationToken ct = default)
    {
        var stored = await kv.GetAsync(keys.Service(ns, name), ct);
        return stored is null ? null : ReadService(stored);
    }

    public async Task<IReadOnlyList<ServiceObject>> ListServicesAsync(string? ns, CancellationToken ct = default)
    {
        var (items, _) = await kv.ListAsync(ns is null ? keys.Services : keys.ServicesIn(ns), ct);
        return items.Select(ReadService).ToList();
    }

    private static ServiceObject ReadService(StoredValue stored)
    {
        var service = Json.Deserialize<ServiceObject>(stored.Value);
        return service with { Metadata = service.Metadata with { ResourceVersion = stored.ModRevision } };
    }

    /// <summary>
    /// Writes all objects of one apply in a single transaction: either every object is stored or none is.
    /// A concurrent writer makes the transaction fail; it is then re-read and retried.
    /// </summary>
    public async Task<IReadOnlyList<ApplyResult>> ApplyServicesAsync(IReadOnlyList<ServiceObject> desired, bool dryRun, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var txn = new EtcdTxn();
            var results = new List<ApplyResult>();
            foreach (var d in desired)
            {
                var key = keys.Service(d.Metadata.Namespace, d.Metadata.Name);
                var current = await kv.GetAsync(key, ct);
                var previous = current is null ? null : ReadService(current);
                var (stored, action) = NextVersion(previous, d);
                txn.Require(key, current?.ModRevision ?? 0);
                if (previous is null || !ServiceRevision.SameTemplate(previous.Spec, stored.Spec))
                    stored = await AddRevisionAsync(txn, previous, stored, ServiceRevision.Describe(previous?.Spec, stored.Spec), ct);
                if (action != ApplyActions.Unchanged) txn.PutValue(key, Json.Serialize(StripRevision(stored)));
                results.Add(new ApplyResult
                {
                    Kind = ObjectKinds.Service, Namespace = d.Metadata.Namespace, Name = d.Metadata.Name,
                    Action = action, Generation = stored.Metadata.Generation,
                });
            }
            if (dryRun || txn.IsEmpty) return results;
            if ((await kv.CommitAsync(txn, ct)).Succeeded) return results;
            if (attempt >= 10) throw new ConflictException("the services kept changing while this apply was written; try again");
        }
    }

    /// <summary>
    /// Adds the next revision of a service to the transaction and drops the oldest beyond <see cref="ServiceRevision.Kept"/>;
    /// answers the service with its metadata.revision set to it. The transaction's compare on the service key makes the
    /// numbering safe against a concurrent apply.
    /// </summary>
    private async Task<ServiceObject> AddRevisionAsync(EtcdTxn txn, ServiceObject? previous, ServiceObject next, string cause, CancellationToken ct)
    {
        var (ns, name) = (next.Metadata.Namespace, next.Metadata.Name);
        var existing = previous is null ? [] : (await kv.ListAsync(keys.RevisionsOf(ns, name), ct)).Items;
        var numbers = existing.Select(i => Json.Deserialize<ServiceRevision>(i.Value).Revision).Order().ToList();
        var revision = new ServiceRevision
        {
            Revision = (numbers.Count == 0 ? 0 : numbers[^1]) + 1,
            Generation = next.Metadata.Generation,
            Spec = next.Spec,
            ChangeCause = cause,
            CreatedAt = time.GetUtcNow(),
        };
        txn.PutValue(keys.Revision(ns, name, revision.Revision), Json.Serialize(revision));
        foreach (var old in numbers.Take(Math.Max(0, numbers.Count + 1 - ServiceRevision.Kept)))
            txn.DeleteKey(keys.Revision(ns, name, old));
        return next with { Metadata = next.Metadata with { Revision = revision.Revision } };
    }

    /// <summary>
    /// Puts the spec of an earlier revision back (keeping the replica count and update strategy) as a new revision
    /// whose change cause says so. Null when the service or the revision does not exist.
    /// </summary>
    public async Task<ServiceObject?> RollBackAsync(string ns, string name, long toRevision, string cause, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var key = keys.Service(ns, name);
            var current = await kv.GetAsync(key, ct);
            if (current is null) return null;
            var service = ReadService(current);
            if (await kv.GetAsync(keys.Revision(ns, name, toRevision), ct) is not { } stored) return null;
            var target = Json.Deserialize<ServiceRevision>(stored.Value);
            var next = service with
            {
                Spec = target.Spec with { Replicas = service.Spec.Replicas, UpdateStrategy = service.Spec.UpdateStrategy },
                Metadata = service.Metadata with { Generation = service.Metadata.Generation + 1 },
            };
            var txn = new EtcdTxn().Require(key, current.ModRevision);
            next = await AddRevisionAsync(txn, service, next, cause, ct);
            txn.PutValue(key, Json.Serialize(StripRevision(next)));
            if ((await kv.CommitAsync(txn, ct)).Succeeded) return next;
            if (attempt >= 10) throw new ConflictException($"service {ns}/{name} kept changing while it was rolled back; try again");
        }
    }

    // ---- rollouts ----

    public async Task<RolloutStatus?> GetRolloutAsync(string ns, string name, CancellationToken ct = default) =>
        await kv.GetAsync(keys.Rollout(ns, name), ct) is { } stored ? Json.Deserialize<RolloutStatus>(stored.Value) : null;

    /// <summary>Every service's rollout, by "ns/name".</summary>
    public async Task<IReadOnlyDictionary<string, RolloutStatus>> ListRolloutsAsync(CancellationToken ct = default)
    {
        var (items, _) = await kv.ListAsync(keys.AllRollouts, ct);
        return items.ToDictionary(i => i.Key[keys.AllRollouts.Length..], i => Json.Deserialize<RolloutStatus>(i.Value));
    }

    public async Task SaveRolloutAsync(string ns, string name, RolloutStatus status, CancellationToken ct = default) =>
        await kv.CommitAsync(new EtcdTxn().PutValue(keys.Rollout(ns, name), Json.Serialize(status)), ct);

    /// <summary>
    /// Marks replicas as terminating (their agent stops them gracefully), all or none: a replica that changed since it
    /// was read makes the whole write lose, and the next reconcile sees the new state.
    /// </summary>
    public async Task<bool> TerminateReplicasAsync(IReadOnlyList<(Replica Replica, string Reason)> replicas, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var txn = new EtcdTxn();
        foreach (var (r, reason) in replicas)
        {
            var key = keys.Replica(r.Namespace, r.Service, r.Id);
            txn.Require(key, r.ResourceVersion)
                .PutValue(key, Json.Serialize(r with { Terminating = true, TerminatingSince = now, TerminationReason = reason, ResourceVersion = 0 }));
        }
        return (await kv.CommitAsync(txn, ct)).Succeeded;
    }

    public async Task<IReadOnlyList<ServiceRevision>> ListRevisionsAsync(string ns, string name, CancellationToken ct = default)
    {
        var (items, _) = await kv.ListAsync(keys.RevisionsOf(ns, name), ct);
        return items.Select(i => Json.Deserialize<ServiceRevision>(i.Value)).OrderBy(r => r.Revision).ToList();
    }

    /// <summary>The object to store for a desired one, and whether that is a create, a change or nothing.</summary>
    private (ServiceObject Stored, string Action) NextVersion(ServiceObject? current, ServiceObject desired)
    {
        if (current is null)
        {
            return (desired with
            {
                Metadata = desired.Metadata with
                {
                    Generation = 1, ResourceVersion = 0,
                    Uid = Guid.NewGuid().ToString("N")[..12], CreatedAt = time.GetUtcNow(),
                },
            }, ApplyActions.Created);
        }
        var specSame = Json.SameContent(current.Spec, desired.Spec);
        var labelsSame = Json.SameContent(current.Metadata.Labels, desired.Metadata.Labels);
        if (specSame && labelsSame) return (current, ApplyActions.Unchanged);
        return (current with
        {
            Spec = desired.Spec,
            Metadata = current.Metadata with
            {
                Labels = desired.Metadata.Labels,
                Generation = current.Metadata.Generation + (specSame ? 0 : 1),
            },
        }, ApplyActions.Configured);
    }

    private static ServiceObject StripRevision(ServiceObject s) => s with { Metadata = s.Metadata with { ResourceVersion = 0 } };

    /// <summary>Changes the replica count alone (a scale is not a new spec revision of anything else).</summary>
    public async Task<ApplyResult?> ScaleServiceAsync(string ns, string name, int replicas, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var key = keys.Service(ns, name);
            var current = await kv.GetAsync(key, ct);
            if (current is null) return null;
            var service = ReadService(current);
            var result = new ApplyResult { Kind = ObjectKinds.Service, Namespace = ns, Name = name, Generation = service.Metadata.Generation };
            if (service.Spec.Replicas == replicas) return result with { Action = ApplyActions.Unchanged };
            var scaled = service with
            {
                Spec = service.Spec with { Replicas = replicas },
                Metadata = service.Metadata with { Generation = service.Metadata.Generation + 1 },
            };
            var txn = new EtcdTxn().Require(key, current.ModRevision).PutValue(key, Json.Serialize(StripRevision(scaled)));
            if ((await kv.CommitAsync(txn, ct)).Succeeded)
                return result with { Action = ApplyActions.Configured, Generation = scaled.Metadata.Generation };
            if (attempt >= 10) throw new ConflictException($"service {ns}/{name} kept changing while it was scaled; try again");
        }
    }

    /// <summary>Removes the service and, in the same transaction, every replica assignment and status of it.</summary>
    public async Task<bool> DeleteServiceAsync(string ns, string name, CancellationToken ct = default)
    {
        var key = keys.Service(ns, name);
        var current = await kv.GetAsync(key, ct);
        if (current is null) return false;
        var txn = new EtcdTxn().Require(key, current.ModRevision)
            .DeleteKey(key)
            .DeleteKey(keys.ServiceConditions(ns, name))
            .DeleteKey(keys.Rollout(ns, name))
            .DeleteAllUnder(keys.ReplicasOf(ns, name))
            .DeleteAllUnder(keys.ReplicaStatusesOf(ns, name))
            .DeleteAllUnder(keys.RevisionsOf(ns, name));
        var outcome = await kv.CommitAsync(txn, ct);
        return outcome.Succeeded || await DeleteServiceAsync(ns, name, ct);
    }

    public async Task<ServiceConditions?> GetConditionsAsync(string ns, string name, CancellationToken ct = default)
    {
        var stored = await kv.GetAsync(keys.ServiceConditions(ns, name), ct);
        return stored is null ? null : Json.Deserialize<ServiceConditions>(stored.Value);
    }

    public async Task<IReadOnlyDictionary<string, ServiceConditions>> ListConditionsAsync(CancellationToken ct = default)
    {
        var (items, _) = await kv.ListAsync(keys.AllServiceConditions, ct);
        return items.ToDictionary(i => i.Key[keys.AllServiceConditions.Length..], i => Json.Deserialize<ServiceConditions>(i.Value));
    }

    /// <summary>Stores the conclusions only while the service exists, so a deleted service leaves nothing behind.</summary>
    public async Task SaveConditionsAsync(string ns, string name, ServiceConditions conditions, CancellationToken ct = default)
    {
        var service = await kv.GetAsync(keys.Service(ns, name), ct);
        if (service is null) return;
        await kv.CommitAsync(new EtcdTxn().Require(keys.Service(ns, name), service.ModRevision)
            .PutValue(keys.ServiceConditions(ns, name), Json.Serialize(conditions)), ct);
    }

    // ---- replicas ----

    public async Task<IReadOnlyList<Replica>> ListReplicasAsync(string? ns = null, string? service = null, CancellationToken ct = default)
    {
        var prefix = (ns, service) switch
        {
            (not null, not null) => keys.ReplicasOf(ns, service),
            (not null, null) => $"{keys.Replicas}{ns}/",
            _ => keys.Replicas,
        };
        var (items, _) = await kv.ListAsync(prefix, ct);
        // A service named without a namespace is that name in every namespace (keys lead with the namespace).
        return items.Select(ReadReplica).Where(r => service is null || r.Service == service).ToList();
    }

    public static Replica ReadReplica(StoredValue stored) =>
        Json.Deserialize<Replica>(stored.Value) with { ResourceVersion = stored.ModRevision };

    public async Task<IReadOnlyList<ReplicaStatus>> ListReplicaStatusesAsync(string? ns = null, string? service = null, CancellationToken ct = default)
    {
        var prefix = (ns, service) switch
        {
            (not null, not null) => keys.ReplicaStatusesOf(ns, service),
            (not null, null) => $"{keys.ReplicaStatuses}{ns}/",
            _ => keys.ReplicaStatuses,
        };
        var (items, _) = await kv.ListAsync(prefix, ct);
        return items.Select(i => Json.Deserialize<ReplicaStatus>(i.Value)).Where(r => service is null || r.Service == service).ToList();
    }

    /// <summary>
    /// Stores new assignments only if the service is still at the revision the placement was computed for:
    /// a service deleted or changed meanwhile gets no replicas from a stale decision.
    /// </summary>
    public async Task<bool> AddReplicasAsync(ServiceObject service, IReadOnlyList<Replica> replicas, CancellationToken ct = default)
    {
        var txn = new EtcdTxn().Require(keys.Service(service.Metadata.Namespace, service.Metadata.Name), service.Metadata.ResourceVersion);
        foreach (var r in replicas)
        {
            var key = keys.Replica(r.Namespace, r.Service, r.Id);
            txn.Require(key, 0).PutValue(key, Json.Serialize(r with { ResourceVersion = 0 }));
        }
        return (await kv.CommitAsync(txn, ct)).Succeeded;
    }

    /// <summary>
    /// Removes assignments (their agents then stop the containers) together with their reported status.
    /// Returns the revision of the removal (the revision of the delete events the agents receive), or null when a
    /// replica changed since it was read and nothing was removed.
    /// </summary>
    public async Task<long?> RemoveReplicasAsync(IReadOnlyList<Replica> replicas, CancellationToken ct = default)
    {
        var txn = new EtcdTxn();
        foreach (var r in replicas)
        {
            var key = keys.Replica(r.Namespace, r.Service, r.Id);
            txn.Require(key, r.ResourceVersion).DeleteKey(key).DeleteKey(keys.ReplicaStatus(r.Namespace, r.Service, r.Id));
        }
        if (txn.IsEmpty) return 0;
        var outcome = await kv.CommitAsync(txn, ct);
        return outcome.Succeeded ? outcome.Revision : null;
    }

    /// <summary>Writes reported statuses of replicas that still exist; a report about a removed replica is dropped.</summary>
    public async Task SaveReplicaStatusesAsync(IReadOnlyList<ReplicaStatus> statuses, CancellationToken ct = default)
    {
        foreach (var s in statuses)
        {
            var replicaKey = keys.Replica(s.Namespace, s.Service, s.ReplicaId);
            var replica = await kv.GetAsync(replicaKey, ct);
            if (replica is null) continue;
            await kv.CommitAsync(new EtcdTxn().Require(replicaKey, replica.ModRevision)
                .PutValue(keys.ReplicaStatus(s.Namespace, s.Service, s.ReplicaId), Json.Serialize(s)), ct);
        }
    }

    // ---- nodes ----

    public async Task<NodeInfo?> GetNodeAsync(string name, CancellationToken ct = default)
    {
        var stored = await kv.GetAsync(keys.Node(name), ct);
        return stored is null ? null : ReadNode(stored);
    }

    public async Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken ct = default)
    {
        var (items, _) = await kv.ListAsync(keys.Nodes, ct);
        return items.Select(ReadNode).ToList();
    }

    private static NodeInfo ReadNode(StoredValue stored) =>
        Json.Deserialize<NodeInfo>(stored.Value) with { ResourceVersion = stored.ModRevision };

    /// <summary>Read-modify-write of one node, retried on a concurrent change.</summary>
    public async Task<NodeInfo> UpdateNodeAsync(string name, Func<NodeInfo?, NodeInfo> change, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var key = keys.Node(name);
            var current = await kv.GetAsync(key, ct);
            var next = change(current is null ? null : ReadNode(current)) with { ResourceVersion = 0 };
            var outcome = await kv.CommitAsync(new EtcdTxn().Require(key, current?.ModRevision ?? 0).PutValue(key, Json.Serialize(next)), ct);
            if (outcome.Succeeded) return next with { ResourceVersion = outcome.Revision };
            if (attempt >= 10) throw new ConflictException($"node {name} kept changing; try again");
        }
    }
}

/// <summary>A write lost against concurrent writers too many times; the API answers 409.</summary>
public sealed class ConflictException(string message) : Exception(message);
