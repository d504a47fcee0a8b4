using System.Diagnostics;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ServiceDefaults;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// Streams one node's assignments as newline-delimited JSON: a sync (its replicas at revision R) then every change after
/// R. Served from the cluster cache's <see cref="AssignmentLog"/>: one etcd watch per control plane feeds every agent's
/// stream, and an agent that reconnects with its last revision resumes from memory; one whose revision the log no longer
/// reaches (or the cache relisted since) gets Expired and relists, from memory too.
/// </summary>
public sealed class AssignmentStream(ClusterCache cache, ControlPlaneOptions options, ILogger<AssignmentStream> log)
{
    public async Task ServeAsync(HttpResponse response, string node, long afterRevision, CancellationToken ct)
    {
        response.ContentType = "application/x-ndjson";
        response.Headers.CacheControl = "no-cache";
        // The cache must be listed, and hold what the agent already saw (it may come from a control plane that is ahead).
        if (!await cache.WaitForRevisionAsync(Math.Max(afterRevision, 0), ct))
        {
            if (cache.IsSynced && afterRevision > cache.Revision)
            {
                // A revision from the future that never comes means etcd was replaced under us: the agent must relist.
                Counted("expired");
                await WriteAsync(response, new AssignmentEvent { Type = AssignmentEventType.Expired, Revision = afterRevision }, ct);
                return;
            }
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await response.WriteAsync(Json.Serialize(new ApiError { Error = "the cluster cache has not caught up with etcd; try again" }) + "\n", ct);
            return;
        }

        long revision, epoch;
        if (afterRevision <= 0)
        {
            Counted("sync");
            (var replicas, revision, epoch) = cache.AssignmentsOf(node);
            await WriteAsync(response, new AssignmentEvent { Type = AssignmentEventType.Sync, Revision = revision, Replicas = replicas.ToList() }, ct);
        }
        else (revision, epoch) = (afterRevision, cache.AssignmentEpoch);
        // A resume counts once its revision proved to be in memory; one that is not counts as expired.
        var counted = afterRevision <= 0;

        try
        {
            while (!ct.IsCancellationRequested)
            {
                var (events, current, next) = cache.AssignmentsAfter(node, revision, epoch);
                if (events is null)
                {
                    log.LogInformation("assignment stream of {Node}: revision {Revision} is no longer in memory; the agent relists", node, revision);
                    Counted("expired");
                    await WriteAsync(response, new AssignmentEvent { Type = AssignmentEventType.Expired, Revision = revision }, ct);
                    return;
                }
                if (!counted) Counted("resume");
                counted = true;
                foreach (var e in events) await SendAsync(response, node, e, ct);
                // Every change of this node up to the cache's revision has been sent.
                revision = Math.Max(revision, current);
                if (await Task.WhenAny(next, Task.Delay(options.BookmarkInterval, ct)) != next)
                    await WriteAsync(response, new AssignmentEvent { Type = AssignmentEventType.Bookmark, Revision = Math.Max(revision, cache.Revision) }, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static void Counted(string start) =>
        Telemetry.AssignmentStreams.Add(1, new KeyValuePair<string, object?>("start", start));

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
