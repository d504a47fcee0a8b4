using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// Keeps etcd's history bounded, as the Kubernetes API server does (<see cref="CompactionSchedule"/>). One activation per
/// cluster, however many control planes tick it; a new activation (a failover) starts by noting, so it never compacts
/// history younger than an interval.
/// </summary>
public sealed class EtcdCompactorGrain(EtcdKv kv, ControlPlaneOptions options, TimeProvider time, ILogger<EtcdCompactorGrain> log)
    : Grain, IEtcdCompactorGrain
{
    private NotedRevision? _noted;

    public async Task<long> Tick()
    {
        var now = time.GetUtcNow();
        // Not due: no etcd request at all.
        if (!CompactionSchedule.IsDue(_noted, now, options.CompactionInterval)) return 0;
        var (note, compactTo) = CompactionSchedule.Next(_noted, now, await kv.CurrentRevisionAsync(), options.CompactionInterval);
        _noted = note ?? _noted;
        if (compactTo == 0) return 0;
        await kv.CompactAsync(compactTo);
        log.LogInformation("etcd compacted to revision {Revision} (history older than {Interval} dropped)", compactTo, options.CompactionInterval);
        return compactTo;
    }
}
