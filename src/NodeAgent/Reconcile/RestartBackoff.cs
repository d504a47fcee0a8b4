using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>
/// Crash-loop back-off per replica, in the manner of Kubernetes' CrashLoopBackOff: after a restart the next one
/// waits the policy's delay (default 1 s), doubling up to its maxDelay (default 30 s); a replica that needed no
/// restart for a minute after its wait ended starts again from the delay. The first restart is immediate: one crash is brought back at once.
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

    /// <summary>Records a restart; the next one waits the policy's delay, or double the last wait, capped at its maxDelay.</summary>
    public void Started(string replicaId, RestartPolicy? policy = null)
    {
        var (initial, max) = policy is null ? (Initial, Max) : (policy.DelayTime, policy.MaxDelayTime);
        var now = time.GetUtcNow();
        // Quiet means a minute past the moment the last wait allowed a start; measured from the start alone, a wait
        // longer than a minute (a policy's delay of 2m) would read as quiet and never grow.
        var delay = _replicas.TryGetValue(replicaId, out var entry) && now - entry.LastStart < entry.Delay + ResetAfter
            ? TimeSpan.FromTicks(Math.Min(max.Ticks, entry.Delay.Ticks * 2))
            : initial;
        _replicas[replicaId] = (now, delay);
    }

    public void Forget(string replicaId) => _replicas.Remove(replicaId);
}
