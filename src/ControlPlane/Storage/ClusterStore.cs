using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Nodes;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// Typed access to the cluster's state in etcd. Every write is a transaction guarded by the mod revisions that were read,
/// and objects carry their etcd mod revision as metadata.resourceVersion. Reads come from the <see cref="ClusterCache"/>
/// when there is one (the control plane's), never from etcd per request; after each write the cache has caught up with
/// it, so a reader sees its own writes, and <see cref="SyncAsync"/> gives a decision everything etcd holds now.
/// Without a cache (tools, tests of the store itself) every read goes to etcd.
/// </summary>
/// <param name="secrets">Seals and opens secrets; a store without it refuses to write or read one.</param>
public sealed partial class ClusterStore(EtcdKv kv, Keys keys, TimeProvider time, ClusterCache? cache = null, ILogger<ClusterStore>? logger = null,
    Secrets.SecretEnvelope? secrets = null)
{
    private readonly ILogger _log = logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    // The records of a list the cache answered with the same array as before (nothing under it changed): decoded and
    // collected once, not again for every view, metrics pass and network view (30,000 replicas, several times a second).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<StoredValue>, object> _readableLists = new();

    /// <summary>The readable records of a listed folder; the same list while the cache answers with the same array. Never change it.</summary>
    private IReadOnlyList<T> ReadableList<T>(IReadOnlyList<StoredValue> items, Func<StoredValue, T> read) where T : class
    {
        // Empty lists are one shared array whatever the folder: nothing to keep for them.
        if (cache is null || items.Count == 0) return StoredRecords.Readable(items, i => Decode(i, read), _log);
        return _readableLists.GetValue(items, listed => StoredRecords.Readable(listed, i => Decode(i, read), _log)) as IReadOnlyList<T>
            ?? StoredRecords.Readable(items, i => Decode(i, read), _log);
    }

    /// <summary>Waits until the cache holds everything etcd holds now (one O(1) etcd request); for a decision's reads.</summary>
    public async Task SyncAsync(CancellationToken ct = default)
    {
        if (cache is { IsSynced: true } c) await c.CatchUpAsync(ct);
    }

    private ClusterCache? Cached(string keyOrPrefix) => cache is { IsSynced: true } c && c.Covers(keyOrPrefix) ? c : null;

    /// <summary>A record of a value, decoded once per mod revision when a cache holds it (every read of the same
    /// revision shares the record: never change one, copy it with `with`).</summary>
    private T Decode<T>(StoredValue stored, Func<StoredValue, T> read) where T : class =>
        cache is { } c ? c.Decoded.Get(stored, read) : read(stored);

    private async Task<StoredValue?> ReadAsync(string key, CancellationToken ct) =>
        Cached(key) is { } c ? c.Get(key) : await kv.GetAsync(key, ct);

    private async Task<IReadOnlyList<StoredValue>> ReadAllAsync(string prefix, CancellationToken ct) =>
        Cached(prefix) is { } c ? c.List(prefix) : (await kv.ListAsync(prefix, ct)).Items;

    /// <summary>Commits, then lets the cache reach the revision of the outcome: a success is visible to the next read,
    /// and after a loss the next read sees what made it lose.</summary>
    private async Task<TxnOutcome> CommitAsync(EtcdTxn txn, CancellationToken ct)
    {
        var outcome = await kv.CommitAsync(txn, ct);
        if (cache is { IsSynced: true } c) await c.WaitForRevisionAsync(outcome.Revision, ct);
        return outcome;
    }

    // ---- services ----

    public async Task<ServiceObject?> GetServiceAsync(string ns, string name, CancellationToken ct = default)
    {
        var stored = await ReadAsync(keys.Service(ns, name), ct);
        return stored is null ? null : Decode(stored, ReadService);
    }

    public async Task<IReadOnlyList<ServiceObject>> ListServicesAsync(string? ns, CancellationToken ct = default)
    {
        var items = await ReadAllAsync(ns is null ? keys.Services : keys.ServicesIn(ns), ct);
        return StoredRecords.Readable(items, i => Decode(i, ReadService), _log);
    }

    /// <summary>"ns/name" of every service, readable or not: the periodic reconcile visits each, so that one that
    /// cannot be read is marked stuck rather than silently skipped.</summary>
    public async Task<IReadOnlyList<string>> ListServiceKeysAsync(CancellationToken ct = default) =>
        [.. (await ListServiceVersionsAsync(ct)).Keys];

    /// <summary>"ns/name" of every service with the etcd revision its record was last written at.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ListServiceVersionsAsync(CancellationToken ct = default)
    {
        var items = await ReadAllAsync(keys.Services, ct);
        return items.ToDictionary(i => i.Key[keys.Services.Length..], i => i.ModRevision);
    }

    private static ServiceObject ReadService(StoredValue stored)
    {
        var service = StoredRecords.Read<ServiceObject>(stored);
        return service with { Metadata = service.Metadata with { ResourceVersion = stored.ModRevision } };
    }

    public Task<IReadOnlyList<ApplyResult>> ApplyServicesAsync(IReadOnlyList<ServiceObject> desired, bool dryRun, CancellationToken ct = default) =>
        ApplyAsync(new LoadResult { Services = desired.ToList() }, dryRun, ct);

    /// <summary>
    /// Writes all objects of one apply (secrets and configs first in the answer, then services) in a single transaction:
    /// either every object is stored or none is. A concurrent writer makes the transaction fail; it is then re-read and retried.
    /// </summary>
    public async Task<IReadOnlyList<ApplyResult>> ApplyAsync(LoadResult desired, bool dryRun, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var txn = new EtcdTxn();
            var results = new List<ApplyResult>();
            var (versions, changed) = await AddDataObjectsAsync(txn, results, desired.Secrets, desired.Configs, ct);
            var services = new List<ServiceObject>();
            foreach (var s in desired.Services)
                services.Add(s with { Spec = await WithDataVersionsAsync(s.Metadata.Namespace, s.Spec, versions, ct) });
            results.AddRange(await AddServicesAsync(txn, services, ct));
            results.AddRange(await AddDataRolloutsAsync(txn, changed, versions, services, ct));
            if (dryRun || txn.IsEmpty) return results;
            CheckFitsOneTransaction(txn);
            if ((await CommitAsync(txn, ct)).Succeeded) return results;
            if (attempt >= 10) throw new ConflictException("the objects kept changing while this apply was written; try again");
        }
    }

    /// <summary>Adds the writes of an apply of <paramref name="desired"/> to <paramref name="txn"/>, each compared on the revision read.</summary>
    private async Task<List<ApplyResult>> AddServicesAsync(EtcdTxn txn, IReadOnlyList<ServiceObject> desired, CancellationToken ct)
    {
        var results = new List<ApplyResult>();
        foreach (var d in desired)
        {
            var key = keys.Service(d.Metadata.Namespace, d.Metadata.Name);
            var current = await ReadAsync(key, ct);
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
        return results;
    }

    /// <summary>
    /// Adds the next revision of a service to the transaction and drops the oldest beyond <see cref="ServiceRevision.Kept"/>;
    /// answers the service with its metadata.revision set to it. The transaction's compare on the service key makes the
    /// numbering safe against a concurrent apply.
    /// </summary>
    private async Task<ServiceObject> AddRevisionAsync(EtcdTxn txn, ServiceObject? previous, ServiceObject next, string cause, CancellationToken ct)
    {
        var (ns, name) = (next.Metadata.Namespace, next.Metadata.Name);
        var existing = previous is null ? [] : await ReadAllAsync(keys.RevisionsOf(ns, name), ct);
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
            var current = await ReadAsync(key, ct);
            if (current is null) return null;
            var service = ReadService(current);
            if (await ReadAsync(keys.Revision(ns, name, toRevision), ct) is not { } stored) return null;
            var target = Json.Deserialize<ServiceRevision>(stored.Value);
            // The secrets and configs as they are now: a replica reads their current values whatever revision it runs.
            var spec = await WithDataVersionsAsync(ns, target.Spec, new Dictionary<string, string>(), ct);
            var next = service with
            {
                Spec = spec with { Replicas = service.Spec.Replicas, UpdateStrategy = service.Spec.UpdateStrategy },
                Metadata = service.Metadata with { Generation = service.Metadata.Generation + 1 },
            };
            var txn = new EtcdTxn().Require(key, current.ModRevision);
            next = await AddRevisionAsync(txn, service, next, cause, ct);
            txn.PutValue(key, Json.Serialize(StripRevision(next)));
            if ((await CommitAsync(txn, ct)).Succeeded) return next;
            if (attempt >= 10) throw new ConflictException($"service {ns}/{name} kept changing while it was rolled back; try again");
        }
    }

    // ---- rollouts ----

    public async Task<RolloutStatus?> GetRolloutAsync(string ns, string name, CancellationToken ct = default) =>
        await ReadAsync(keys.Rollout(ns, name), ct) is { } stored ? Json.Deserialize<RolloutStatus>(stored.Value) : null;

    /// <summary>Every service's rollout, by "ns/name".</summary>
    public async Task<IReadOnlyDictionary<string, RolloutStatus>> ListRolloutsAsync(CancellationToken ct = default)
    {
        var items = await ReadAllAsync(keys.AllRollouts, ct);
        return StoredRecords.Readable(items, i => (i.Key, Value: StoredRecords.Read<RolloutStatus>(i)), _log)
            .ToDictionary(i => i.Key[keys.AllRollouts.Length..], i => i.Value);
    }

    public async Task SaveRolloutAsync(string ns, string name, RolloutStatus status, CancellationToken ct = default) =>
        await CommitAsync(new EtcdTxn().PutValue(keys.Rollout(ns, name), Json.Serialize(status)), ct);

    /// <summary>
    /// Marks replicas as terminating (their agent stops them gracefully), in transactions under etcd's limits
    /// (<see cref="EtcdBatches"/>): a replica that changed since it was read makes its transaction lose, and the next
    /// reconcile sees the new state. Returns how many, from the start of the list, were marked.
    /// </summary>
    public async Task<int> TerminateReplicasAsync(IReadOnlyList<(Replica Replica, string Reason)> replicas, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var marked = replicas.Select(x => (x.Replica, Value: Json.Serialize(x.Replica with
        {
            Terminating = true, TerminatingSince = now, TerminationReason = x.Reason, ResourceVersion = 0,
        }))).ToList();
        var done = 0;
        foreach (var chunk in EtcdBatches.Chunk(marked, operationsEach: 1, bytes: m => m.Value.Length))
        {
            var txn = new EtcdTxn();
            foreach (var (r, value) in chunk)
            {
                var key = keys.Replica(r.Namespace, r.Service, r.Id);
                txn.Require(key, r.ResourceVersion).PutValue(key, value);
            }
            if (!(await CommitAsync(txn, ct)).Succeeded) break;
            done += chunk.Count;
        }
        return done;
    }

    public async Task<IReadOnlyList<ServiceRevision>> ListRevisionsAsync(string ns, string name, CancellationToken ct = default)
    {
        var items = await ReadAllAsync(keys.RevisionsOf(ns, name), ct);
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
            var current = await ReadAsync(key, ct);
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
            if ((await CommitAsync(txn, ct)).Succeeded)
                return result with { Action = ApplyActions.Configured, Generation = scaled.Metadata.Generation };
            if (attempt >= 10) throw new ConflictException($"service {ns}/{name} kept changing while it was scaled; try again");
        }
    }

    /// <summary>Removes the service and, in the same transaction, every replica assignment and status of it.</summary>
    public async Task<bool> DeleteServiceAsync(string ns, string name, CancellationToken ct = default)
    {
        var current = await ReadAsync(keys.Service(ns, name), ct);
        if (current is null) return false;
        var txn = AddServiceDeletion(new EtcdTxn(), ns, name, current.ModRevision);
        await AddVolumeReclaimAsync(txn, ReadService(current), ct);
        var outcome = await CommitAsync(txn, ct);
        return outcome.Succeeded || await DeleteServiceAsync(ns, name, ct);
    }

    /// <summary>The deletion of a service read at <paramref name="modRevision"/>, with all that belongs to it.</summary>
    private EtcdTxn AddServiceDeletion(EtcdTxn txn, string ns, string name, long modRevision) =>
        txn.Require(keys.Service(ns, name), modRevision)
            .DeleteKey(keys.Service(ns, name))
            .DeleteKey(keys.ServiceConditions(ns, name))
            .DeleteKey(keys.Rollout(ns, name))
            .DeleteAllUnder(keys.ReplicasOf(ns, name))
            .DeleteAllUnder(keys.ReplicaStatusesOf(ns, name))
            .DeleteAllUnder(keys.RevisionsOf(ns, name));

    public async Task<ServiceConditions?> GetConditionsAsync(string ns, string name, CancellationToken ct = default)
    {
        var stored = await ReadAsync(keys.ServiceConditions(ns, name), ct);
        return stored is null ? null : Decode(stored, StoredRecords.Read<ServiceConditions>);
    }

    public async Task<IReadOnlyDictionary<string, ServiceConditions>> ListConditionsAsync(CancellationToken ct = default)
    {
        var items = await ReadAllAsync(keys.AllServiceConditions, ct);
        return StoredRecords.Readable(items, i => (i.Key, Value: Decode(i, StoredRecords.Read<ServiceConditions>)), _log)
            .ToDictionary(i => i.Key[keys.AllServiceConditions.Length..], i => i.Value);
    }

    /// <summary>Stores the conclusions only while the service exists, so a deleted service leaves nothing behind.</summary>
    public async Task SaveConditionsAsync(string ns, string name, ServiceConditions conditions, CancellationToken ct = default)
    {
        var service = await ReadAsync(keys.Service(ns, name), ct);
        if (service is null) return;
        await CommitAsync(new EtcdTxn().Require(keys.Service(ns, name), service.ModRevision)
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
        var replicas = ReadableList(await ReadAllAsync(prefix, ct), ReadReplica);
        // A service named without a namespace is that name in every namespace (keys lead with the namespace).
        return service is null || ns is not null ? replicas : replicas.Where(r => r.Service == service).ToList();
    }

    public async Task<Replica?> GetReplicaAsync(string ns, string service, string id, CancellationToken ct = default) =>
        await ReadAsync(keys.Replica(ns, service, id), ct) is { } stored ? Decode(stored, ReadReplica) : null;

    /// <summary>
    /// Every replica of one service, for its reconciler. One that cannot be read is an error, not a gap: a plan that
    /// does not see a slot's replica would place a second one beside it, every pass.
    /// </summary>
    /// <exception cref="UnreadableRecordException">a replica key of the service holds something else</exception>
    public async Task<IReadOnlyList<Replica>> ReplicasToReconcileAsync(string ns, string service, CancellationToken ct = default)
    {
        var items = await ReadAllAsync(keys.ReplicasOf(ns, service), ct);
        return items.Select(i => Decode(i, ReadReplica)).ToList();
    }

    /// <exception cref="UnreadableRecordException">the value is not a replica</exception>
    public static Replica ReadReplica(StoredValue stored) =>
        StoredRecords.Read<Replica>(stored) with { ResourceVersion = stored.ModRevision };

    public async Task<IReadOnlyList<ReplicaStatus>> ListReplicaStatusesAsync(string? ns = null, string? service = null, CancellationToken ct = default)
    {
        var prefix = (ns, service) switch
        {
            (not null, not null) => keys.ReplicaStatusesOf(ns, service),
            (not null, null) => $"{keys.ReplicaStatuses}{ns}/",
            _ => keys.ReplicaStatuses,
        };
        var statuses = ReadableList(await ReadAllAsync(prefix, ct), StoredRecords.Read<ReplicaStatus>);
        return service is null || ns is not null ? statuses : statuses.Where(r => r.Service == service).ToList();
    }

    /// <summary>
    /// Stores new assignments only while the service is still at the revision the placement was computed for: a
    /// service deleted or changed meanwhile gets no replicas from a stale decision. Any number of replicas: they are
    /// written in transactions under etcd's limits (<see cref="EtcdBatches"/>), each comparing the service (and that
    /// each replica key is new) again. The transactions are sent together, so etcd commits them in one or a few of its
    /// batches rather than one disk sync each, and the cache is waited for once, at the end. Returns the replicas
    /// stored: all, or those of the transactions that did not lose to a concurrent writer (none once the service changed).
    /// </summary>
    public async Task<IReadOnlyList<Replica>> AddReplicasAsync(ServiceObject service, IReadOnlyList<Replica> replicas, CancellationToken ct = default) =>
        await AddReplicasAsync(service, replicas, _ => [], ct);

    /// <summary>
    /// As above, each replica together with the records of the persistent volumes its slot gets first
    /// (<paramref name="newVolumes"/>; each required absent, so two placements of one slot cannot both pin it).
    /// </summary>
    public async Task<IReadOnlyList<Replica>> AddReplicasAsync(ServiceObject service, IReadOnlyList<Replica> replicas,
        Func<Replica, IReadOnlyList<VolumeRecord>> newVolumes, CancellationToken ct = default)
    {
        var serviceKey = keys.Service(service.Metadata.Namespace, service.Metadata.Name);
        var values = replicas.Select(r => (Replica: r, Value: Json.Serialize(r with { ResourceVersion = 0 }), Volumes: newVolumes(r))).ToList();
        var volumesEach = 1 + (service.Spec.Volumes?.Count ?? 0);
        var chunks = EtcdBatches.Chunk(values, operationsEach: volumesEach, bytes: v => v.Value.Length + 512 * v.Volumes.Count, reserved: 1).ToList();
        var outcomes = await Task.WhenAll(chunks.Select(chunk =>
        {
            var txn = new EtcdTxn().Require(serviceKey, service.Metadata.ResourceVersion);
            foreach (var (r, value, volumes) in chunk)
            {
                var key = keys.Replica(r.Namespace, r.Service, r.Id);
                txn.Require(key, 0).PutValue(key, value);
                foreach (var v in volumes)
                {
                    var volumeKey = keys.Volume(v.Namespace, v.Service, v.Name);
                    txn.Require(volumeKey, 0).PutValue(volumeKey, Json.Serialize(v with { ResourceVersion = 0 }));
                }
            }
            return kv.CommitAsync(txn, ct);
        }));
        // A success is visible to the next read, and after a loss the next read sees what made it lose.
        if (outcomes.Length > 0 && cache is { IsSynced: true } c) await c.WaitForRevisionAsync(outcomes.Max(o => o.Revision), ct);
        return chunks.Zip(outcomes).Where(x => x.Second.Succeeded).SelectMany(x => x.First.Select(v => v.Replica)).ToList();
    }

    /// <summary>
    /// Removes assignments (their agents then stop the containers) together with their reported status, in
    /// transactions under etcd's limits (<see cref="EtcdBatches"/>). Returns how many, from the start of the list, were
    /// removed and the revision of the last removal (of the delete events the agents receive); null when the first
    /// replica's transaction lost (a replica changed since it was read) and nothing was removed.
    /// </summary>
    public async Task<ReplicaRemovals?> RemoveReplicasAsync(IReadOnlyList<Replica> replicas, CancellationToken ct = default)
    {
        if (replicas.Count == 0) return new ReplicaRemovals(0, 0);
        var removed = 0;
        long revision = 0;
        foreach (var chunk in EtcdBatches.Chunk(replicas, operationsEach: 2, bytes: _ => 0))
        {
            var txn = new EtcdTxn();
            foreach (var r in chunk)
            {
                var key = keys.Replica(r.Namespace, r.Service, r.Id);
                txn.Require(key, r.ResourceVersion).DeleteKey(key).DeleteKey(keys.ReplicaStatus(r.Namespace, r.Service, r.Id));
            }
            var outcome = await CommitAsync(txn, ct);
            if (!outcome.Succeeded) break;
            removed += chunk.Count;
            revision = outcome.Revision;
        }
        return removed == 0 ? null : new ReplicaRemovals(removed, revision);
    }

    /// <summary>
    /// Writes reported statuses of replicas that still exist; a report about a removed replica is dropped. One report is
    /// a few transactions under etcd's limits (<see cref="EtcdBatches"/>), each status compared on its replica as read;
    /// a transaction that loses (a replica changed or went meanwhile) is written again status by status, so that one
    /// moving replica costs the others of its report nothing.
    /// </summary>
    /// <remarks>
    /// A replica this control plane's cache does not hold yet (placed through another control plane a moment ago, its
    /// watch a little behind: the agent heard of it first) is read from etcd itself rather than taken as removed. Returns
    /// the statuses written: the node grain remembers only those as said, so one dropped is sent again by the next report.
    /// </remarks>
    public async Task<IReadOnlyList<ReplicaStatus>> SaveReplicaStatusesAsync(IReadOnlyList<ReplicaStatus> statuses, CancellationToken ct = default)
    {
        var writes = new List<(string ReplicaKey, long ReplicaRevision, string Key, string Value, ReplicaStatus Status)>();
        foreach (var s in statuses)
        {
            var replicaKey = keys.Replica(s.Namespace, s.Service, s.ReplicaId);
            var replica = await ReadAsync(replicaKey, ct);
            if (replica is null && Cached(replicaKey) is not null) replica = await kv.GetAsync(replicaKey, ct);
            if (replica is null) continue;
            writes.Add((replicaKey, replica.ModRevision, keys.ReplicaStatus(s.Namespace, s.Service, s.ReplicaId), Json.Serialize(s), s));
        }
        var written = new List<ReplicaStatus>();
        foreach (var chunk in EtcdBatches.Chunk(writes, operationsEach: 1, bytes: w => w.Value.Length))
        {
            if ((await CommitAsync(StatusWrites(chunk), ct)).Succeeded)
            {
                written.AddRange(chunk.Select(w => w.Status));
                continue;
            }
            if (chunk.Count == 1) continue;
            foreach (var one in chunk)
                if ((await CommitAsync(StatusWrites([one]), ct)).Succeeded) written.Add(one.Status);
        }
        return written;
    }

    private static EtcdTxn StatusWrites(IEnumerable<(string ReplicaKey, long ReplicaRevision, string Key, string Value, ReplicaStatus Status)> writes)
    {
        var txn = new EtcdTxn();
        foreach (var w in writes) txn.Require(w.ReplicaKey, w.ReplicaRevision).PutValue(w.Key, w.Value);
        return txn;
    }

    // ---- nodes ----

    public async Task<NodeInfo?> GetNodeAsync(string name, CancellationToken ct = default)
    {
        var stored = await ReadAsync(keys.Node(name), ct);
        return stored is null ? null : Decode(stored, ReadNode);
    }

    public async Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken ct = default)
    {
        var items = await ReadAllAsync(keys.Nodes, ct);
        return StoredRecords.Readable(items, i => Decode(i, ReadNode), _log);
    }

    private static NodeInfo ReadNode(StoredValue stored) =>
        StoredRecords.Read<NodeInfo>(stored) with { ResourceVersion = stored.ModRevision };

    /// <summary>Removes a node's record (orc node rm); false when there was none. Its replicas are then on no node and get replaced.</summary>
    public async Task<bool> DeleteNodeAsync(string name, CancellationToken ct = default)
    {
        if (await ReadAsync(keys.Node(name), ct) is not { } current) return false;
        await CommitAsync(new EtcdTxn().Require(current.Key, current.ModRevision).DeleteKey(current.Key), ct);
        return true;
    }

    /// <summary>The reported replicas that exist and are assigned to another node than <paramref name="node"/>.</summary>
    public async Task<IReadOnlyList<Replica>> AssignedElsewhereAsync(string node, IEnumerable<ReplicaStatus> statuses, CancellationToken ct = default)
    {
        var found = new List<Replica>();
        foreach (var s in statuses)
            if (await ReadAsync(keys.Replica(s.Namespace, s.Service, s.ReplicaId), ct) is { } stored
                && Decode(stored, ReadReplica) is { } replica && replica.Node != node)
                found.Add(replica);
        return found;
    }

    /// <summary>Read-modify-write of one node, retried on a concurrent change.</summary>
    public async Task<NodeInfo> UpdateNodeAsync(string name, Func<NodeInfo?, NodeInfo> change, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var key = keys.Node(name);
            var current = await ReadAsync(key, ct);
            var next = change(current is null ? null : ReadNode(current)) with { ResourceVersion = 0 };
            var outcome = await CommitAsync(new EtcdTxn().Require(key, current?.ModRevision ?? 0).PutValue(key, Json.Serialize(next)), ct);
            if (outcome.Succeeded) return next with { ResourceVersion = outcome.Revision };
            if (attempt >= 10) throw new ConflictException($"node {name} kept changing; try again");
        }
    }

    /// <summary>
    /// Gives node <paramref name="name"/> the lowest free /24 of <paramref name="range"/> unless it holds one: one transaction
    /// writes the claim (compared on the claim key, so two nodes never take one subnet) and the node record (compared on
    /// its revision). Answers the node as stored; its Subnet stays empty when the range is full or the node is gone.
    /// </summary>
    public async Task<NodeInfo?> AllocateNodeSubnetAsync(string name, Ipv4Subnet range, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var nodeKey = keys.Node(name);
            if (await ReadAsync(nodeKey, ct) is not { } stored) return null;
            var node = ReadNode(stored);
            if (node.Subnet.Length > 0) return node;
            var registered = (await ReadAllAsync(keys.Nodes, ct)).Select(v => v.Key[keys.Nodes.Length..]).ToHashSet(StringComparer.Ordinal);
            var claims = (await ReadAllAsync(keys.NodeSubnets, ct))
                .Select(v => (Value: v, Claim: StoredRecords.Read<NodeSubnetClaim>(v))).ToList();
            var held = claims.Where(c => c.Claim.Node != name && registered.Contains(c.Claim.Node)).Select(c => c.Claim.Subnet).ToHashSet(StringComparer.Ordinal);
            if (NodeSubnets.PickFor(name, range, held) is not { } subnet) return node;
            var claimKey = keys.NodeSubnet(subnet.ToString());
            var previous = claims.FirstOrDefault(c => c.Value.Key == claimKey).Value;
            var next = node with { Subnet = subnet.ToString(), ResourceVersion = 0 };
            var outcome = await CommitAsync(new EtcdTxn()
                .Require(nodeKey, stored.ModRevision).Require(claimKey, previous?.ModRevision ?? 0)
                .PutValue(claimKey, Json.Serialize(new NodeSubnetClaim(name, subnet.ToString())))
                .PutValue(nodeKey, Json.Serialize(next)), ct);
            if (outcome.Succeeded) return next with { ResourceVersion = outcome.Revision };
            if (attempt >= 10) throw new ConflictException($"node subnets kept changing while node {name} took one; try again");
        }
    }
}

/// <summary>A write lost against concurrent writers too many times; the API answers 409.</summary>
public sealed class ConflictException(string message) : Exception(message);
