using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.ControlPlane;

/// <summary>
/// Keeps the <see cref="AssignmentSet"/> current from the assignment stream (docs/api.md, "The assignment stream"):
/// resumes from the last applied revision after a disconnect, with <see cref="Backoff.Reconnect"/> delays, and
/// relists (no revision, the next sync is the whole truth) after an <c>expired</c> event. Errors never clear the set.
/// </summary>
public sealed class AssignmentWatch(ControlPlaneClient client, AssignmentSet assignments, TimeProvider time, ILogger<AssignmentWatch> log)
{
    /// <summary>The server bookmarks every 5 s; three missed bookmarks mean the connection is dead (a partition, say).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(15);

    private readonly Backoff _backoff = Backoff.Reconnect();

    public async Task RunAsync(CancellationToken ct)
    {
        var relist = true;
        var connected = false;
        // Failures are logged once per outage: while the control plane is down this loop retries every few seconds.
        var failing = false;
        while (!ct.IsCancellationRequested)
        {
            var from = relist ? (long?)null : assignments.Revision;
            var expired = false;
            try
            {
                await foreach (var e in client.WatchAssignmentsAsync(from, IdleTimeout, ct))
                {
                    if (!connected) log.LogInformation("assignment stream connected from revision {Revision}", from ?? 0);
                    connected = true;
                    failing = false;
                    _backoff.Reset();
                    if (assignments.Apply(e)) continue;
                    log.LogInformation("assignment revision {Revision} expired; relisting", from);
                    expired = true;
                    break;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!failing) log.LogWarning("assignment stream: {Message}; keeping {Count} assigned replicas and retrying", e.GetBaseException().Message, assignments.Snapshot().Count);
                failing = true;
            }
            connected = false;
            // An expired revision is answered at once by a relist; anything else waits before it tries again.
            // Without a sync yet there is nothing to resume from, so the next try starts with one.
            relist = expired || !assignments.Known;
            if (expired) continue;
            try { await Task.Delay(_backoff.Next(), time, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
