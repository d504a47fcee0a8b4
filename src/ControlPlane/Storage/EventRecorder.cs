using System.Globalization;
using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// Kubernetes-style events kept in etcd under a lease, so they expire by themselves (default after an hour)
/// and every control-plane process sees the same history. Lists are read from the cluster cache's
/// <see cref="RecentEvents"/> (fed by its one watch), not from etcd per request; without a cache (tools) from etcd.
/// </summary>
public sealed class EventRecorder(EtcdKv kv, Keys keys, TimeProvider time, ILogger<EventRecorder> log, ClusterCache? cache = null)
{
    public const string ClusterScope = "_cluster";
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _leaseLock = new(1, 1);
    private long _lease;
    private DateTimeOffset _leaseGrantedAt;

    public static string ServiceScope(string ns, string service) => $"{ns}/{service}";

    public Task ServiceEventAsync(string ns, string service, string reason, string message, bool warning = false) =>
        RecordAsync(ServiceScope(ns, service), new ClusterEvent
        {
            Reason = reason, Message = message, Type = warning ? "Warning" : "Normal",
            Object = $"Service/{ns}/{service}", Source = "control-plane",
        });

    public Task ClusterEventAsync(string obj, string reason, string message, bool warning = false) =>
        RecordAsync(ClusterScope, new ClusterEvent
        {
            Reason = reason, Message = message, Type = warning ? "Warning" : "Normal", Object = obj, Source = "control-plane",
        });

    /// <summary>
    /// Best effort: an event that cannot be written is logged, never allowed to fail the work it describes. Returns once
    /// the event is stored and this control plane's lists show it.
    /// </summary>
    public async Task RecordAsync(string scope, ClusterEvent e)
    {
        var now = time.GetUtcNow();
        e = e with { Time = now };
        log.LogInformation("{Object} {Reason}: {Message}", e.Object, e.Reason, e.Message);
        var key = keys.EventsOf(scope) + now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
        var pending = new PendingEvent(key, Json.Serialize(e), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        EnsureWriter();
        _queue.Writer.TryWrite(pending);
        try
        {
            await pending.Stored.Task;
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "could not store event {Reason} for {Object}", e.Reason, e.Object);
        }
    }

    private sealed record PendingEvent(string Key, string Value, TaskCompletionSource Stored);

    /// <summary>At most this much of event values in one transaction (etcd takes 1.5 MiB a request).</summary>
    private const int BatchBytes = 512 * 1024;

    /// <summary>At most this many events in one transaction (etcd takes 128 operations).</summary>
    private const int BatchEvents = 100;

    private readonly System.Threading.Channels.Channel<PendingEvent> _queue =
        System.Threading.Channels.Channel.CreateUnbounded<PendingEvent>();
    private readonly object _writerGate = new();
    private Task[]? _writers;

    /// <summary>Transactions of events out at once: one alone would make every event wait for the watch behind the last batch.</summary>
    private const int Writers = 4;

    private void EnsureWriter()
    {
        lock (_writerGate) _writers ??= [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteAsync))];
    }

    /// <summary>
    /// A few writers: the events recorded while their transactions were out go together in the next one. 30,000
    /// replicas starting at once said 30,000 events, each its own transaction and its own wait for the watch; now up to a
    /// hundred share each, and one event alone is written at once as before.
    /// </summary>
    private async Task WriteAsync()
    {
        var batch = new List<PendingEvent>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var bytes = 0;
            while (batch.Count < BatchEvents && bytes < BatchBytes && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                bytes += next.Key.Length + next.Value.Length;
            }
            try
            {
                var lease = await CurrentLeaseAsync(time.GetUtcNow());
                var txn = new EtcdTxn();
                foreach (var p in batch) txn.PutValue(p.Key, p.Value, lease);
                var outcome = await kv.CommitAsync(txn);
                // The next list on this control plane shows them (the watch brings them within milliseconds).
                if (cache is { IsSynced: true } c) await c.WaitForRevisionAsync(outcome.Revision);
                foreach (var p in batch) p.Stored.TrySetResult();
            }
            catch (Exception ex)
            {
                _lease = 0; // it may be what failed (etcd lost it): the next batch takes a new one
                foreach (var p in batch) p.Stored.TrySetException(ex);
            }
        }
    }

    /// <summary>Events of one scope (or all), oldest first, at most <paramref name="limit"/> of the newest.</summary>
    public async Task<IReadOnlyList<ClusterEvent>> ListAsync(string? scope, int limit = 200, CancellationToken ct = default)
    {
        if (cache is { IsSynced: true } c) return c.Events(scope, limit);
        var (items, _) = await kv.ListAsync(scope is null ? keys.Events : keys.EventsOf(scope), ct);
        return items.Select(i => Json.Deserialize<ClusterEvent>(i.Value)).OrderBy(e => e.Time).TakeLast(limit).ToList();
    }

    /// <summary>One lease serves many events; a new one is taken each half TTL so that no event outlives its TTL by much.</summary>
    private async Task<long> CurrentLeaseAsync(DateTimeOffset now)
    {
        await _leaseLock.WaitAsync();
        try
        {
            if (_lease == 0 || now - _leaseGrantedAt > Ttl / 2)
            {
                _lease = await kv.GrantLeaseAsync(Ttl);
                _leaseGrantedAt = now;
            }
            return _lease;
        }
        finally
        {
            _leaseLock.Release();
        }
    }
}
