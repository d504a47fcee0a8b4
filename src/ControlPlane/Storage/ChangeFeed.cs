namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// The keys of the cluster cache's recent changes, in revision order, in a bounded ring that is complete from a revision
/// on: what `orc get -w` streams follow instead of an etcd watch each. A reader that fell further behind than the ring
/// reaches (or across a relist) is told so (null) and compares everything it shows. Not thread-safe: the cache calls it
/// under its lock.
/// </summary>
public sealed class ChangeFeed
{
    public const int DefaultCapacity = 10_000;

    /// <summary>How many changes the ring holds; a reader further behind compares everything it shows.</summary>
    public int Capacity { get; set; } = DefaultCapacity;

    private readonly Queue<(long Revision, string Key)> _changes = new();
    private long _from;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A fresh list at <paramref name="revision"/>: nothing before it can be told apart any more.</summary>
    public void Reset(long revision)
    {
        _changes.Clear();
        _from = revision;
        Wake();
    }

    public void Append(string key, long revision)
    {
        _changes.Enqueue((revision, key));
        // Dropping the oldest change means the ring is complete only after it from now on.
        while (_changes.Count > Capacity) _from = _changes.Dequeue().Revision;
    }

    /// <summary>Wakes every reader waiting on <see cref="Next"/>; the cache calls it once per watch batch.</summary>
    public void Wake()
    {
        var next = _next;
        _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        next.TrySetResult();
    }

    /// <summary>The keys changed after <paramref name="after"/>, each once; null when the ring no longer reaches back that far.</summary>
    public IReadOnlyList<string>? After(long after) =>
        after < _from ? null : _changes.Where(c => c.Revision > after).Select(c => c.Key).Distinct().ToList();

    /// <summary>Completes at the next batch of changes (or the next relist).</summary>
    public Task Next => _next.Task;
}
