using System.Diagnostics;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ServiceDefaults;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// Streams one node's assignments as newline-delimited JSON: a sync (list at revision R) then every change after R,
/// straight from an etcd watch, so an agent that reconnects with its last revision misses nothing.
/// </summary>
public sealed class AssignmentStream(EtcdKv kv, Keys keys, ControlPlaneOptions options, ILogger<AssignmentStream> log)
{
    public async Task ServeAsync(HttpResponse response, string node, long afterRevision, CancellationToken ct)
    {
        response.ContentType = "application/x-ndjson";
        response.Headers.CacheControl = "no-cache";
        var revision = afterRevision;
        if (revision > 0 && revision > await kv.CurrentRevisionAsync(ct))
        {
            // A revision from the future means etcd was replaced under us: the agent must relist.
            await WriteAsync(response, new AssignmentEvent { Type = AssignmentEventType.Expired, Revision = revision }, ct);
            return;
        }
        if (revision <= 0)
        {
            var (items, listedAt) = await kv.ListAsync(keys.Replicas, ct);
            var mine = StoredRecords.Readable(items, ClusterStore.ReadReplica, log).Where(r => r.Node == node).ToList();
            await WriteAsync(response, new AssignmentEvent { Type = AssignmentEventType.Sync, Revision = listedAt, Replicas = mine }, ct);
            revision = listedAt;
        }

        // The watch gets its own token: a pending MoveNextAsync must finish before the iterator may be disposed.
        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var changes = kv.WatchAsync(keys.Replicas, revision, watchCts.Token).GetAsyncEnumerator(watchCts.Token);
        var next = changes.MoveNextAsync().AsTask();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var done = await Task.WhenAny(next, Task.Delay(options.BookmarkInterval, ct));
                if (done != next)
                {
                    await WriteAsync(response, new AssignmentEvent { Type = AssignmentEventType.Bookmark, Revision = revision }, ct);
                    continue;
                }
                if (!await next) return;
                foreach (var change in changes.Current)
                {
                    var e = ToEvent(change, node, log);
                    revision = change.Revision;
                    if (e is not null) await SendAsync(response, node, e, ct);
                }
                next = changes.MoveNextAsync().AsTask();
            }
        }
        catch (WatchExpiredException e)
        {
            log.LogInformation("assignment stream of {Node}: {Message}", node, e.Message);
            await WriteAsync(response, new AssignmentEvent { Type = AssignmentEventType.Expired, Revision = revision }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await watchCts.CancelAsync();
            try { await next; } catch (Exception) when (watchCts.IsCancellationRequested) { /* the watch ended because we left */ }
            await changes.DisposeAsync();
        }
    }

    /// <summary>The event this node must see for a change, or null when the change concerns other nodes only.</summary>
    /// An unreadable value (a foreign write) is no assignment: it is logged and the stream goes on.
    private static AssignmentEvent? ToEvent(WatchChange change, string node, ILogger log)
    {
        var current = change.Current is null ? null : StoredRecords.Readable([change.Current], ClusterStore.ReadReplica, log).SingleOrDefault();
        var previous = change.Previous is null ? null : StoredRecords.Readable([change.Previous], ClusterStore.ReadReplica, log).SingleOrDefault();
        if (current?.Node == node)
            return new AssignmentEvent { Type = AssignmentEventType.Put, Revision = change.Revision, Replica = current };
        if (previous?.Node == node)
            return new AssignmentEvent { Type = AssignmentEventType.Delete, Revision = change.Revision, ReplicaId = previous.Id, Replica = previous };
        return null;
    }

    /// <summary>A new assignment is one step of the trace of the apply that placed it; the agent's create continues it.</summary>
    private static async Task SendAsync(HttpResponse response, string node, AssignmentEvent e, CancellationToken ct)
    {
        using var activity = e.Type == AssignmentEventType.Put
            ? Telemetry.Source.StartContinued("AssignmentStream.Send", e.Replica?.TraceParent, ActivityKind.Producer)
            : null;
        activity?.SetTag("orchestrator.node", node);
        activity?.SetTag("orchestrator.replica", e.Replica?.ContainerName);
        await WriteAsync(response, e, ct);
    }

    private static async Task WriteAsync(HttpResponse response, AssignmentEvent e, CancellationToken ct)
    {
        await response.WriteAsync(Json.Serialize(e) + "\n", ct);
        await response.Body.FlushAsync(ct);
    }
}
