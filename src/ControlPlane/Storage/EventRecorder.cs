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

    /// <summary>Best effort: an event that cannot be written is logged, never allowed to fail the work it describes.</summary>
    public async Task RecordAsync(string scope, ClusterEvent e)
    {
        var now = time.GetUtcNow();
        e = e with { Time = now };
        log.LogInformation("{Object} {Reason}: {Message}", e.Object, e.Reason, e.Message);
        try
        {
            var lease = await CurrentLeaseAsync(now);
            var key = keys.EventsOf(scope) + now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
            var outcome = await kv.CommitAsync(new EtcdTxn().PutValue(key, Json.Serialize(e), lease));
            // The next list on this control plane shows it (the watch brings it within milliseconds).
            if (cache is { IsSynced: true } c) await c.WaitForRevisionAsync(outcome.Revision);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "could not store event {Reason} for {Object}", e.Reason, e.Object);
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
