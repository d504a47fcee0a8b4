using System.Text.Json;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// `orc get -w`: streams services or replicas as NDJSON, a sync (the list now) then every change of what the API would
/// show for them, driven by the cluster cache's change feed (no etcd watch of its own: one watch per control plane
/// serves every stream). Changes after the revision the sync was read at are never missed; an object seen twice is sent
/// once, as only a view that differs from the last one sent goes out. A stream that fell behind the feed compares every
/// view it shows.
/// </summary>
public sealed class ObjectWatchStream(ClusterCache cache, Keys keys, ServiceViews views, ClusterStore store)
{
    /// <summary>The key spaces whose changes alter a service's or a replica's view: {root}/{space}/{ns}/{service}/...</summary>
    private static readonly string[] Spaces = ["services", "replicas", "replica-status", "service-conditions", "rollouts"];

    public async Task ServeAsync(HttpResponse response, string kind, string? ns, string? service, CancellationToken ct)
    {
        response.ContentType = "application/x-ndjson";
        response.Headers.CacheControl = "no-cache";
        // A consistent start: everything etcd holds now (one O(1) request), then memory only.
        await cache.CatchUpAsync(ct);
        var revision = cache.Revision;
        var sent = new Dictionary<string, string>(StringComparer.Ordinal);
        var sync = await ViewsAsync(kind, ns, service, ct);
        Remember(sync, sent);
        await WriteAsync(response, sync with { Type = ObjectWatchEvent.Sync, Revision = revision }, ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var (changed, current, next) = cache.ChangesAfter(revision);
                if (changed is null)
                {
                    // Behind the feed (or the cache relisted): compare every view in scope with what was sent.
                    var now = await ViewsAsync(kind, ns, service, ct);
                    var all = Changes(now, sent, _ => true);
                    if (all is not null) await WriteAsync(response, all with { Revision = current }, ct);
                }
                else
                {
                    var touched = changed.Select(ServiceOf).OfType<(string Ns, string Name)>()
                        .Where(s => (ns is null || s.Ns == ns) && (service is null || s.Name == service)).Distinct().ToList();
                    foreach (var (touchedNs, touchedName) in touched)
                    {
                        var now = await ViewsAsync(kind, touchedNs, touchedName, ct);
                        var serviceKey = $"{touchedNs}/{touchedName}";
                        var one = Changes(now, sent, k => k == serviceKey || k.StartsWith(serviceKey + "/", StringComparison.Ordinal));
                        if (one is not null) await WriteAsync(response, one with { Revision = current }, ct);
                    }
                }
                revision = current;
                await next.WaitAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<ObjectWatchEvent> ViewsAsync(string kind, string? ns, string? service, CancellationToken ct)
    {
        if (kind == ObjectWatchKinds.Services)
        {
            var list = service is null
                ? await views.ListAsync(ns, ct)
                : await views.GetAsync(ns!, service, ct) is { } detail ? [new ServiceView { Service = detail.Service, Status = detail.Status, Rollout = detail.Rollout }] : [];
            return new ObjectWatchEvent { Services = [.. list.Where(s => service is null || s.Service.Metadata.Name == service)] };
        }
        var replicas = await store.ListReplicasAsync(ns, service, ct);
        var statuses = (await store.ListReplicaStatusesAsync(ns, service, ct)).ToDictionary(s => s.ReplicaId);
        return new ObjectWatchEvent { Replicas = ServiceViews.Join(replicas, statuses) };
    }

    private static string KeyOf(ServiceView v) => $"{v.Service.Metadata.Namespace}/{v.Service.Metadata.Name}";
    private static string KeyOf(ReplicaView v) => $"{v.Replica.Namespace}/{v.Replica.Service}/{v.Replica.Id}";

    private static void Remember(ObjectWatchEvent e, Dictionary<string, string> sent)
    {
        foreach (var s in e.Services) sent[KeyOf(s)] = Json.Serialize(s);
        foreach (var r in e.Replicas) sent[KeyOf(r)] = Json.Serialize(r);
    }

    /// <summary>What differs from what was sent for the keys <paramref name="inScope"/> covers; null when nothing does.</summary>
    private static ObjectWatchEvent? Changes(ObjectWatchEvent now, Dictionary<string, string> sent, Func<string, bool> inScope)
    {
        var services = now.Services.Where(s => !sent.TryGetValue(KeyOf(s), out var last) || last != Json.Serialize(s)).ToList();
        var replicas = now.Replicas.Where(r => !sent.TryGetValue(KeyOf(r), out var last) || last != Json.Serialize(r)).ToList();
        var present = now.Services.Select(KeyOf).Concat(now.Replicas.Select(KeyOf)).ToHashSet();
        var gone = sent.Keys.Where(k => inScope(k) && !present.Contains(k)).ToList();
        foreach (var k in gone) sent.Remove(k);
        var changed = new ObjectWatchEvent { Type = ObjectWatchEvent.Changed, Services = services, Replicas = replicas };
        Remember(changed, sent);
        if (gone.Count > 0 && services.Count == 0 && replicas.Count == 0) return changed with { Type = ObjectWatchEvent.Deleted, Gone = gone };
        return services.Count + replicas.Count + gone.Count == 0 ? null : changed with { Gone = gone };
    }

    /// <summary>"{root}/replica-status/default/web/abc" -> (default, web); null for keys of other spaces (nodes, events).</summary>
    private (string, string)? ServiceOf(string key)
    {
        var parts = key[(keys.Root.Length + 1)..].Split('/');
        return parts.Length >= 3 && Spaces.Contains(parts[0]) ? (parts[1], parts[2]) : null;
    }

    private static async Task WriteAsync(HttpResponse response, ObjectWatchEvent e, CancellationToken ct)
    {
        await response.WriteAsync(JsonSerializer.Serialize(e, Json.Options) + "\n", ct);
        await response.Body.FlushAsync(ct);
    }
}
