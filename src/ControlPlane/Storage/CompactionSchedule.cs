namespace Orchestrator.ControlPlane.Storage;

/// <summary>A revision noted at a time.</summary>
public readonly record struct NotedRevision(long Revision, DateTimeOffset At);

/// <summary>
/// When to compact etcd and to what, as a pure function: each interval note the current revision, and compact to
/// the one noted an interval before, so that at least one interval of history always stays.
/// </summary>
public static class CompactionSchedule
{
    /// <summary>Whether a tick now has anything to do (a note is an interval old, or there is none yet).</summary>
    public static bool IsDue(NotedRevision? noted, DateTimeOffset now, TimeSpan interval) =>
        interval > TimeSpan.Zero && (noted is not { } n || now - n.At >= interval);

    /// <returns>what to note now (null: keep the old note), and the revision to compact to (0: none)</returns>
    public static (NotedRevision? Note, long CompactTo) Next(NotedRevision? noted, DateTimeOffset now, long currentRevision, TimeSpan interval)
    {
        if (!IsDue(noted, now, interval)) return (null, 0);
        return (new NotedRevision(currentRevision, now), noted is { Revision: > 0 } due && due.Revision < currentRevision ? due.Revision : 0);
    }
}
