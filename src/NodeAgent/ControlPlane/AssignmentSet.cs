using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.ControlPlane;

/// <summary>
/// The replicas assigned to this node as the assignment stream has told them, and the revision applied last.
/// Only a sync or a delete event changes membership; losing the control plane changes nothing, so the
/// containers keep running through an outage. Until the first sync the set is not <see cref="Known"/>, and
/// the agent must not reconcile with it (an empty set would remove every container after an agent restart).
/// </summary>
public sealed class AssignmentSet
{
    private readonly Lock _lock = new();
    private Dictionary<string, Replica> _replicas = new(StringComparer.Ordinal);
    private long _revision;
    private bool _known;

    /// <summary>Raised after every change of membership or of an assigned replica.</summary>
    public event Action? Changed;

    public long Revision { get { lock (_lock) return _revision; } }
    public bool Known { get { lock (_lock) return _known; } }

    public IReadOnlyList<Replica> Snapshot()
    {
        lock (_lock) return _replicas.Values.ToList();
    }

    /// <summary>The replicas and the revision they are complete up to, read together.</summary>
    public (IReadOnlyList<Replica> Replicas, long Revision) SnapshotAtRevision()
    {
        lock (_lock) return (_replicas.Values.ToList(), _revision);
    }

    /// <summary>
    /// The revision whose assignments the engine fully matches: every removal it asked for is done. The heartbeat
    /// carries it, and the control plane keeps a node that was Down fenced (not Ready) until it reaches the
    /// revision at which the node came back, so replicas replaced meanwhile are gone before the node counts again.
    /// </summary>
    public long AppliedRevision => Interlocked.Read(ref _appliedRevision);
    private long _appliedRevision;

    public void MarkApplied(long revision)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _appliedRevision)) < revision
               && Interlocked.CompareExchange(ref _appliedRevision, revision, seen) != seen) { }
    }

    /// <summary>Applies one event in stream order; returns false for <see cref="AssignmentEventType.Expired"/>, which the watcher handles.</summary>
    public bool Apply(AssignmentEvent e)
    {
        bool changed;
        lock (_lock)
        {
            switch (e.Type)
            {
                case AssignmentEventType.Sync:
                    var next = (e.Replicas ?? []).ToDictionary(r => r.Id, StringComparer.Ordinal);
                    changed = !_known || next.Count != _replicas.Count
                        || next.Any(kv => !_replicas.TryGetValue(kv.Key, out var old) || !Json.SameContent(old, kv.Value));
                    _replicas = next;
                    _known = true;
                    break;
                case AssignmentEventType.Put when e.Replica is { } replica:
                    changed = !_replicas.TryGetValue(replica.Id, out var before) || !Json.SameContent(before, replica);
                    _replicas[replica.Id] = replica;
                    break;
                case AssignmentEventType.Delete:
                    changed = _replicas.Remove(e.ReplicaId ?? e.Replica?.Id ?? "");
                    break;
                case AssignmentEventType.Bookmark:
                    changed = false;
                    break;
                default:
                    return false;
            }
            // A sync is the whole truth as of its revision, also after a relist; other events only move forward.
            if (e.Type == AssignmentEventType.Sync || e.Revision > _revision) _revision = e.Revision;
        }
        if (changed) Changed?.Invoke();
        return true;
    }
}
