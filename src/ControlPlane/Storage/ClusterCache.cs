using Orchestrator.Contracts;
using Grpc.Core;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// The control plane's watched copy of the cluster's state in etcd (client-go's informer, Kubernetes' watch cache): one
/// paged list of the root prefix, then one watch from that revision, kept in memory by folder, so that reads cost no
/// etcd request. Only the state kinds are kept (<see cref="Kept"/>); every other key under the root (events, Orleans'
/// membership) still moves the revision on. A compaction that outran the watch means a relist; a broken watch resumes
/// from the last revision. <see cref="WaitForRevisionAsync"/> is how a reader sees its own writes, or everything up to
/// etcd's current revision (a consistent read: one O(1) etcd request, then memory). The same watch feeds the `get -w`
/// streams (<see cref="ChangesAfter"/>) and the event lists (<see cref="Events"/>).
/// </summary>
public sealed class ClusterCache(EtcdKv kv, Keys keys, TimeProvider time, ILogger<ClusterCache> log) : BackgroundService
{
    /// <summary>How long a reader waits for the cache to reach a revision before it reads etcd itself.</summary>
    public static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a waiter lets the watch bring a revision before it writes the cache's mark (see <see cref="MarkAsync"/>).</summary>
    public TimeSpan MarkAfter { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many recent changes the `get -w` streams can be behind before they compare every view (tests make it small).</summary>
    public int ChangeFeedCapacity { get => _changes.Capacity; init => _changes.Capacity = value; }

    private readonly object _lock = new();
    // Folder (a key up to its last '/') -> key -> value: a prefix list reads only the folders under it.
    private readonly Dictionary<string, Dictionary<string, StoredValue>> _folders = new(StringComparer.Ordinal);
    // By revision, so that a watch batch completes only the waiters it reached (thousands wait at once while 1,000 nodes
    // report: a scan of all of them per batch, under the lock, took a tenth of the control plane's CPU).
    private readonly PriorityQueue<TaskCompletionSource, long> _waiters = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly AssignmentLog _assignments = new();
    private readonly ChangeFeed _changes = new();
    private readonly RecentEvents _events = new(keys.Events);
    private long _revision;
    private bool _relist = true;
    private Task? _marking;

    /// <summary>The folders this cache keeps: the state the control plane decides on and shows.</summary>
    public IReadOnlyList<string> Kept { get; } =
        [keys.Services, keys.Replicas, keys.ReplicaStatuses, keys.Nodes, keys.NodeSubnets, keys.ServiceIps, keys.AllServiceConditions, keys.AllRollouts,
         $"{keys.Root}/revisions/", keys.Secrets, keys.Configs, keys.Tokens, keys.Releases,
         keys.Volumes, keys.VolumeReclaims];

    // Per kept folder of Kept, bumped by every change under it; a list asked again while its folder did not change is
    // answered with the array made the first time (see List).
    private long[]? _kindVersions;
    private readonly Dictionary<string, (long Version, StoredValue[] Items)> _listed = new(StringComparer.Ordinal);

    /// <summary>How many lists <see cref="List"/> keeps for asking again; past it they are all let go.</summary>
    private const int ListsKept = 512;

    /// <summary>The typed records of the values held, decoded once per mod revision (<see cref="ClusterStore"/> reads through it).</summary>
    public DecodedValues Decoded { get; } = new();

    public long Revision { get { lock (_lock) return _revision; } }
    public bool IsSynced => _synced.Task.IsCompleted;
    public long Relists { get; private set; }

    /// <summary>The newest events (at most <paramref name="limit"/>) of a scope, a namespace or all, oldest first, from memory.</summary>
    public IReadOnlyList<ClusterEvent> Events(string? scope, int limit)
    {
        lock (_lock) return _events.List(scope, limit);
    }

    /// <summary>
    /// The kept keys changed after <paramref name="after"/> (null: the feed no longer reaches back that far, or the cache
    /// relisted: compare everything), the revision the cache is at, and a task that completes at the next change.
    /// </summary>
    public (IReadOnlyList<string>? Keys, long Revision, Task Next) ChangesAfter(long after)
    {
        lock (_lock) return (_changes.After(after), _revision, _changes.Next);
    }

    public bool Covers(string keyOrPrefix) => Kept.Any(k => keyOrPrefix.StartsWith(k, StringComparison.Ordinal));

    public StoredValue? Get(string key)
    {
        lock (_lock) return _folders.TryGetValue(Folder(key), out var f) && f.TryGetValue(key, out var v) ? v : null;
    }

    /// <summary>
    /// Every kept key under the prefix, sorted as etcd sorts them (by bytes). The same array while nothing under the
    /// prefix's kept folder changed: at rest the views, the metrics and the network view list 30,000 replicas and their
    /// statuses several times a second, and collecting and sorting them each time was a tenth of the control plane's
    /// CPU and most of its large-object garbage. Never change what it returns.
    /// </summary>
    public IReadOnlyList<StoredValue> List(string prefix)
    {
        var found = new List<StoredValue>();
        var kind = KindOf(prefix);
        long version;
        lock (_lock)
        {
            version = kind < 0 ? 0 : KindVersions[kind];
            if (kind >= 0 && _listed.TryGetValue(prefix, out var listed) && listed.Version == version) return listed.Items;
            foreach (var (folder, values) in _folders)
            {
                if (folder.StartsWith(prefix, StringComparison.Ordinal)) found.AddRange(values.Values);
                else if (prefix.StartsWith(folder, StringComparison.Ordinal))
                    found.AddRange(values.Values.Where(v => v.Key.StartsWith(prefix, StringComparison.Ordinal)));
            }
        }
        var items = found.ToArray();
        Array.Sort(items, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        if (kind < 0) return items;
        lock (_lock)
        {
            // Kept with the version it was collected at: a change meanwhile makes the next ask collect again.
            if (_listed.Count >= ListsKept) _listed.Clear();
            _listed[prefix] = (version, items);
        }
        return items;
    }

    /// <summary>The index in <see cref="Kept"/> of the folder holding the key (or every key under the prefix); -1 if none.</summary>
    private int KindOf(string keyOrPrefix)
    {
        for (var i = 0; i < Kept.Count; i++)
            if (keyOrPrefix.StartsWith(Kept[i], StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>What one agent's stream starts with: the node's replicas now, at the cache's revision, and the log's epoch.</summary>
    public (IReadOnlyList<Replica> Replicas, long Revision, long Epoch) AssignmentsOf(string node)
    {
        lock (_lock) return (_assignments.AssignedTo(node), _revision, _assignments.Epoch);
    }

    /// <summary>
    /// The node's assignment changes after <paramref name="after"/> (null: the log does not reach back that far, or it
    /// was relisted since <paramref name="epoch"/>: the agent must relist), the revision the cache is at, and a task
    /// that completes at the node's next change.
    /// </summary>
    public (IReadOnlyList<AssignmentEvent>? Events, long Revision, Task Next) AssignmentsAfter(string node, long after, long epoch)
    {
        lock (_lock)
        {
            var events = epoch == _assignments.Epoch ? _assignments.After(node, after) : null;
            return (events, _revision, _assignments.NextChange(node));
        }
    }

    public long AssignmentEpoch { get { lock (_lock) return _assignments.Epoch; } }

    /// <summary>
    /// Returns once the cache holds everything up to <paramref name="revision"/>; false when it did not get there
    /// within <see cref="CatchUpTimeout"/> (etcd unreachable, the watch broken): the caller then reads etcd itself.
    /// </summary>
    public async Task<bool> WaitForRevisionAsync(long revision, CancellationToken ct = default)
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            if (_revision >= revision && IsSynced) return true;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(done, revision);
        }
        try
        {
            // A write of ours arrives through the watch within milliseconds. Otherwise nothing under the root may have
            // changed up to that revision (writes elsewhere in etcd): a mark written now comes after it.
            if (await Task.WhenAny(done.Task, Task.Delay(MarkAfter, time, ct)) != done.Task)
            {
                // etcd away: the wait below times out and the caller reads etcd itself.
                try { await MarkAsync(ct); }
                catch (Exception e) when (e is not OperationCanceledException) { }
            }
            await done.Task.WaitAsync(CatchUpTimeout, time, ct);
            return true;
        }
        catch (TimeoutException)
        {
            // Left in the queue: completed (for nobody) once the cache gets there.
            return false;
        }
    }

    /// <summary>A consistent read point: everything etcd holds now is in the cache (one O(1) request: the current revision).</summary>
    public async Task<bool> CatchUpAsync(CancellationToken ct = default) =>
        await WaitForRevisionAsync(await kv.CurrentRevisionAsync(ct), ct);

    /// <summary>
    /// Writes the cache's mark (one small key under the root, shared by every control plane) so the watch has a change
    /// to bring at a revision past every write made before: the watch is in revision order, so once the mark arrived
    /// everything before it did. Concurrent waiters share one write. Only needed when nothing under the root changed.
    /// </summary>
    private Task MarkAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            if (_marking is { IsCompleted: false } running) return running.WaitAsync(ct);
            return _marking = kv.CommitAsync(new EtcdTxn().PutValue(keys.CacheMark, time.GetUtcNow().ToString("O")), CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (_relist)
                {
                    await ListAsync(ct);
                    _relist = false;
                }
                await WatchAsync(ct);
                backoff = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (WatchExpiredException e)
            {
                log.LogWarning("cluster cache: {Message}; listing again", e.Message);
                _relist = true;
                continue;
            }
            catch (Exception e)
            {
                log.LogWarning("cluster cache: watch from revision {Revision} broke ({Message}); resuming in {Delay} ms",
                    Revision, e.GetBaseException().Message, (int)backoff.TotalMilliseconds);
            }
            try { await Task.Delay(backoff, time, ct); }
            catch (OperationCanceledException) { return; }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private async Task ListAsync(CancellationToken ct)
    {
        var (items, revision) = await kv.ListAsync(keys.Root + "/", ct);
        lock (_lock)
        {
            _folders.Clear();
            _listed.Clear();
            foreach (var item in items.Where(i => Covers(i.Key))) Put(item);
            _events.Clear();
            foreach (var item in items.Where(i => _events.Holds(i.Key))) _events.Put(item.Key, item.Value);
            _assignments.Reset(List(keys.Replicas).Select(ReadReplica).OfType<Replica>(), revision);
            _revision = revision;
            _changes.Reset(revision);
            Relists++;
            Release();
        }
        _synced.TrySetResult();
        log.LogInformation("cluster cache: listed {Count} keys at revision {Revision}", items.Count(i => Covers(i.Key)), revision);
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        await using var watch = await EtcdWatchStream.OpenAsync(kv.Client, keys.Root + "/", Revision, ct);
        while (await watch.NextAsync(ct) is { } batch)
        {
            // Decoded before the lock (once per mod revision, kept in Decoded): a placement of 1,000 replicas comes as
            // one batch, and every reader (heartbeats, authentication, views) waits while the lock is held.
            foreach (var change in batch.Changes)
                if (change.Current is { } value && value.Key.StartsWith(keys.Replicas, StringComparison.Ordinal)) ReadReplica(value);
            lock (_lock)
            {
                foreach (var change in batch.Changes.Where(c => _events.Holds(c.Key)))
                {
                    if (change.IsDelete) _events.Delete(change.Key);
                    else _events.Put(change.Key, change.Current!.Value);
                }
                foreach (var change in batch.Changes.Where(c => Covers(c.Key)))
                {
                    _changes.Append(change.Key, change.Revision);
                    if (change.Key.StartsWith(keys.Replicas, StringComparison.Ordinal))
                        _assignments.Changed(Get(change.Key) is { } before ? ReadReplica(before) : null,
                            change.Current is { } after ? ReadReplica(after) : null, change.Revision);
                    if (change.IsDelete) Remove(change.Key);
                    else Put(change.Current!);
                }
                if (batch.Revision > _revision) _revision = batch.Revision;
                _changes.Wake();
                Release();
            }
        }
    }

    /// <summary>A replica as stored; null (and a warning) for a value that is not one, which no agent is sent.</summary>
    private Replica? ReadReplica(StoredValue value)
    {
        try { return Decoded.Get(value, ClusterStore.ReadReplica); }
        catch (UnreadableRecordException e)
        {
            log.LogWarning("cluster cache: {Key} is not a replica ({Message}); no agent is sent it", value.Key, e.Message);
            return null;
        }
    }

    private void Put(StoredValue value)
    {
        var folder = Folder(value.Key);
        if (!_folders.TryGetValue(folder, out var values)) _folders[folder] = values = new Dictionary<string, StoredValue>(StringComparer.Ordinal);
        values[value.Key] = value;
        Changed(value.Key);
    }

    private void Remove(string key)
    {
        var folder = Folder(key);
        if (!_folders.TryGetValue(folder, out var values)) return;
        values.Remove(key);
        Changed(key);
        if (values.Count == 0) _folders.Remove(folder);
    }

    /// <summary>Completes every waiter the cache has now caught up with (called under the lock).</summary>
    private void Release()
    {
        while (_waiters.TryPeek(out var done, out var revision) && revision <= _revision)
        {
            _waiters.Dequeue();
            done.TrySetResult();
        }
    }

    private void Changed(string key)
    {
        if (KindOf(key) is var kind and >= 0) KindVersions[kind]++;
    }

    private long[] KindVersions => _kindVersions ??= new long[Kept.Count];

    private static string Folder(string key) => key[..(key.LastIndexOf('/') + 1)];
}
