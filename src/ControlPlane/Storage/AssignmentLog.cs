using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// The assignment changes of every node, as the cluster cache sees them: each node's recent Put and Delete events in a
/// bounded ring, complete from a revision on, so that any number of agent streams are served from one etcd watch per
/// control plane and a reconnecting agent resumes from memory. Not thread-safe: the cache calls it under its lock.
/// </summary>
public sealed class AssignmentLog(int perNode = AssignmentLog.DefaultPerNode)
{
    public const int DefaultPerNode = 512;

    private sealed class NodeLog(long from)
    {
        public long From = from;
        public readonly Queue<AssignmentEvent> Events = new();
        public TaskCompletionSource Changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Dictionary<string, NodeLog> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, Replica>> _assigned = new(StringComparer.Ordinal);
    private long _listedAt;

    /// <summary>Bumped by every relist: a stream of an older epoch may have missed changes and must end with Expired.</summary>
    public long Epoch { get; private set; }

    /// <summary>A fresh list at <paramref name="revision"/>: every log starts again from it, every waiting stream wakes.</summary>
    public void Reset(IEnumerable<Replica> replicas, long revision)
    {
        foreach (var log in _nodes.Values) log.Changed.TrySetResult();
        _nodes.Clear();
        _assigned.Clear();
        foreach (var r in replicas) Assigned(r.Node)[r.Id] = r;
        _listedAt = revision;
        Epoch++;
    }

    /// <summary>One replica key changed at <paramref name="revision"/>: a Put for its node, a Delete for the node it left.</summary>
    public void Changed(Replica? previous, Replica? current, long revision)
    {
        if (previous is not null && previous.Node != current?.Node)
        {
            Assigned(previous.Node).Remove(previous.Id);
            Append(previous.Node, new AssignmentEvent { Type = AssignmentEventType.Delete, Revision = revision, ReplicaId = previous.Id, Replica = previous });
        }
        if (current is not null)
        {
            Assigned(current.Node)[current.Id] = current;
            Append(current.Node, new AssignmentEvent { Type = AssignmentEventType.Put, Revision = revision, Replica = current });
        }
    }

    public IReadOnlyList<Replica> AssignedTo(string node) =>
        _assigned.TryGetValue(node, out var replicas) ? replicas.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList() : [];

    /// <summary>The node's events after <paramref name="after"/>; null when the log no longer reaches back that far.</summary>
    public IReadOnlyList<AssignmentEvent>? After(string node, long after)
    {
        var log = _nodes.GetValueOrDefault(node);
        if (after < (log?.From ?? _listedAt)) return null;
        return log is null ? [] : log.Events.Where(e => e.Revision > after).ToList();
    }

    /// <summary>Completes at the node's next change (or the next relist).</summary>
    public Task NextChange(string node) => Log(node).Changed.Task;

    private Dictionary<string, Replica> Assigned(string node)
    {
        if (!_assigned.TryGetValue(node, out var replicas)) _assigned[node] = replicas = new Dictionary<string, Replica>(StringComparer.Ordinal);
        return replicas;
    }

    private NodeLog Log(string node)
    {
        if (!_nodes.TryGetValue(node, out var log)) _nodes[node] = log = new NodeLog(_listedAt);
        return log;
    }

    private void Append(string node, AssignmentEvent e)
    {
        var log = Log(node);
        log.Events.Enqueue(e);
        // Dropping the oldest event means the log is complete only after it from now on.
        while (log.Events.Count > perNode) log.From = log.Events.Dequeue().Revision;
        var changed = log.Changed;
        log.Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
