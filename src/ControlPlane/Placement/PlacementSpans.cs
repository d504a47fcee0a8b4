namespace Orchestrator.ControlPlane.Placement;

/// <summary>
/// Where one placement's time went, logged with it: reading the cache, deciding (the scheduler on the kept state),
/// writing the replicas to etcd, recording the event. The profile of the placement path, kept on in production.
/// </summary>
public sealed class PlacementSpans(TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();
    private long _lap = time.GetTimestamp();

    public TimeSpan Read { get; set; }
    public TimeSpan Decide { get; set; }
    public TimeSpan Write { get; set; }
    public TimeSpan Record { get; set; }
    public TimeSpan Total => time.GetElapsedTime(_start);

    /// <summary>The time since the last lap (or the start), and a new lap from now.</summary>
    public TimeSpan Lap()
    {
        var now = time.GetTimestamp();
        var span = time.GetElapsedTime(_lap, now);
        _lap = now;
        return span;
    }

    public override string ToString() =>
        $"read {Read.TotalMilliseconds:0} ms, decide {Decide.TotalMilliseconds:0} ms, write {Write.TotalMilliseconds:0} ms, " +
        $"record {Record.TotalMilliseconds:0} ms, total {Total.TotalMilliseconds:0} ms";
}
