namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>
/// Spaces out restarts of a crashing replica (1 s doubling to 30 s) so that a container that exits at once
/// does not keep a 2-core engine busy; a replica that stayed up for a minute starts again from 1 s.
/// The first restart is immediate.
/// </summary>
public sealed class RestartBackoff(TimeProvider time)
{
    public static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ResetAfter = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (DateTimeOffset LastStart, TimeSpan Delay)> _replicas = new(StringComparer.Ordinal);

    /// <summary>How long the replica must still wait before its next start; zero when it may start now.</summary>
    public TimeSpan Remaining(string replicaId)
    {
        if (!_replicas.TryGetValue(replicaId, out var entry)) return TimeSpan.Zero;
        var wait = entry.LastStart + entry.Delay - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    public void Started(string replicaId)
    {
        var now = time.GetUtcNow();
        var delay = _replicas.TryGetValue(replicaId, out var entry) && now - entry.LastStart < ResetAfter
            ? TimeSpan.FromTicks(Math.Min(Max.Ticks, entry.Delay.Ticks * 2))
            : Initial;
        _replicas[replicaId] = (now, delay);
    }

    public void Forget(string replicaId) => _replicas.Remove(replicaId);
}
