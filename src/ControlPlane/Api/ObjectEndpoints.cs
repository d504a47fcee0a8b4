using System.Diagnostics;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Grains;
using Orchestrator.ControlPlane.Reconcile;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>What people (through `orc`) call: apply, delete, get, scale (docs/api.md).</summary>
public static class ObjectEndpoints
{
    public static void MapObjectEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapPost("/apply", async (ApplyRequest request, ClusterStore store, IGrainFactory grains, CancellationToken ct) =>
        {
            using var activity = Telemetry.Source.StartActivity("Apply");
            var loaded = ManifestLoader.Load(request.Files);
            if (!loaded.Ok)
                return ApiResults.Error(StatusCodes.Status400BadRequest,
                    $"{loaded.Errors.Count} error(s) in the manifests; nothing was applied", loaded.Errors);
            // A published port is opened on every node for one service: one already held elsewhere is refused where it is written.
            if (PublishedPortClaim.Conflicts(loaded.PublishedPorts, await store.ListServicesAsync(null, ct)) is { Count: > 0 } taken)
                return ApiResults.Error(StatusCodes.Status400BadRequest, $"{taken.Count} error(s) in the manifests; nothing was applied", taken);
            if (await store.MissingReferencesAsync(loaded, ct) is [_, ..] missing)
                return ApiResults.Error(StatusCodes.Status400BadRequest,
                    $"{missing.Count} error(s) in the manifests; nothing was applied", missing);
            var results = await store.ApplyAsync(loaded, request.DryRun, ct);
            // A dry run also says what would change and what that would do (orc diff, orc apply --dry-run); a secret's
            // or config's values are never diffed into an answer.
            if (request.DryRun)
                results = await Task.WhenAll(results.Select(async r =>
                {
                    if (r.Kind != ObjectKinds.Service) return r;
                    // A service rolled out because a secret or config it uses changed is not in the files.
                    if (loaded.Services.FirstOrDefault(s => s.Metadata.Namespace == r.Namespace && s.Metadata.Name == r.Name) is not { } desired) return r;
                    var (diff, effects) = ApplyPreview.Of(await store.GetServiceAsync(r.Namespace, r.Name, ct), desired);
                    return r with { Diff = diff, Effects = effects };
                }));
            activity?.SetTag("orchestrator.services", string.Join(",", results.Select(r => $"{r.Namespace}/{r.Name}:{r.Action}")));
            if (!request.DryRun)
                await ReconcileAsync(grains, results.Where(r => r.Kind == ObjectKinds.Service && r.Action != ApplyActions.Unchanged));
            return Results.Ok(new ApplyResponse { Results = results.ToList(), DryRun = request.DryRun });
        });

        api.MapPost("/delete", async (ApplyRequest request, ClusterStore store, IGrainFactory grains, EventRecorder events, CancellationToken ct) =>
        {
            var loaded = ManifestLoader.Load(request.Files);
            if (!loaded.Ok)
                return ApiResults.Error(StatusCodes.Status400BadRequest,
                    $"{loaded.Errors.Count} error(s) in the manifests; nothing was deleted", loaded.Errors);
            // Services first, then what they used: a secret or config another service still uses refuses the whole request.
            var objects = loaded.Secrets.Select(s => (DataKinds.Secret, s.Metadata.Namespace, s.Metadata.Name))
                .Concat(loaded.Configs.Select(c => (DataKinds.Config, c.Metadata.Namespace, c.Metadata.Name)));
            if (await DataObjectEndpoints.InUseAsync(objects, loaded.Services.Select(s => s.Key).ToHashSet(), store, ct) is { } refusal)
                return ApiResults.Error(StatusCodes.Status409Conflict, refusal + "; nothing was deleted");
            var results = new List<ApplyResult>();
            foreach (var s in loaded.Services)
                results.Add(await DeleteAsync(s.Metadata.Namespace, s.Metadata.Name, request.DryRun, store, events, ct));
            // Every deleted service's replicas are removed together (one after the other, 30 services waited 30 times).
            if (!request.DryRun) await ReconcileAsync(grains, results.Where(r => r.Action == ApplyActions.Deleted));
            foreach (var s in loaded.Secrets)
                results.Add(await DataObjectEndpoints.DeleteSecretAsync(s.Metadata.Namespace, s.Metadata.Name, request.DryRun, store, ct));
            foreach (var c in loaded.Configs)
                results.Add(await DataObjectEndpoints.DeleteConfigAsync(c.Metadata.Namespace, c.Metadata.Name, request.DryRun, store, ct));
            return Results.Ok(new ApplyResponse { Results = results, DryRun = request.DryRun });
        });

        api.MapGet("/services", async (string? @namespace, ServiceViews views, CancellationToken ct) =>
            Results.Ok(await views.ListAsync(@namespace, ct)));

        var one = api.MapGroup("/namespaces/{ns}/services/{name}");

        one.MapGet("", async (string ns, string name, ServiceViews views, CancellationToken ct) =>
            await views.GetAsync(ns, name, ct) is { } detail ? Results.Ok(detail) : ServiceNotFound(ns, name));

        one.MapGet("/revisions", async (string ns, string name, ClusterStore store, CancellationToken ct) =>
            await store.GetServiceAsync(ns, name, ct) is null
                ? ServiceNotFound(ns, name)
                : Results.Ok(await store.ListRevisionsAsync(ns, name, ct)));

        // kubectl rollout pause / resume / undo.
        foreach (var (verb, paused) in new[] { ("pause", true), ("resume", false) })
            one.MapPut($"/rollout/{verb}", async (string ns, string name, IGrainFactory grains) =>
                await grains.GetGrain<IServiceGrain>($"{ns}/{name}").SetPaused(paused) is { } status
                    ? Results.Ok(status)
                    : ServiceNotFound(ns, name));

        one.MapPost("/rollout/undo", async (string ns, string name, UndoRequest request, IGrainFactory grains) =>
        {
            if (request.ToRevision is <= 0)
                return ApiResults.BadRequest($"toRevision must be a revision number of 1 or more, got {request.ToRevision}");
            var outcome = await grains.GetGrain<IServiceGrain>($"{ns}/{name}").Undo(request.ToRevision);
            if (outcome.NotFound) return ServiceNotFound(ns, name);
            return outcome.Error is { } error
                ? ApiResults.BadRequest(error)
                : Results.Ok(new UndoResponse { Revision = outcome.Revision, ToRevision = outcome.ToRevision });
        });

        one.MapDelete("", async (string ns, string name, ClusterStore store, IGrainFactory grains, EventRecorder events, CancellationToken ct) =>
        {
            if (await DeleteAsync(ns, name, false, store, events, ct) is not { Action: ApplyActions.Deleted } result) return ServiceNotFound(ns, name);
            await ReconcileAsync(grains, [result]);
            return Results.Ok(result);
        });

        one.MapPut("/scale", async (string ns, string name, ScaleRequest request, ClusterStore store, IGrainFactory grains, EventRecorder events, CancellationToken ct) =>
        {
            if (request.Replicas is < 0 or > 10000)
                return ApiResults.BadRequest($"replicas must be a whole number from 0 to 10000, got {request.Replicas}");
            var result = await store.ScaleServiceAsync(ns, name, request.Replicas, ct);
            if (result is null) return ServiceNotFound(ns, name);
            if (result.Action != ApplyActions.Unchanged)
            {
                await events.ServiceEventAsync(ns, name, "Scaled", $"scaled to {request.Replicas} replica(s)");
                await ReconcileAsync(grains, [result]);
            }
            return Results.Ok(result);
        });

        // `orc get services|replicas -w`: NDJSON from an etcd watch (ObjectWatchStream).
        foreach (var kind in new[] { ObjectWatchKinds.Services, ObjectWatchKinds.Replicas })
            api.MapGet($"/watch/{kind}", async (string? @namespace, string? service, HttpContext http, ObjectWatchStream stream) =>
            {
                if (service is not null && @namespace is null)
                {
                    http.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await http.Response.WriteAsJsonAsync(new ApiError { Error = "a watch of one service needs its namespace" });
                    return;
                }
                await stream.ServeAsync(http.Response, kind, @namespace, service, http.RequestAborted);
            });

        // `orc version` shows the server's beside its own.
        api.MapGet("/version", () => Results.Ok(new ServerVersion { Version = ServerVersion.Of(typeof(ObjectEndpoints).Assembly) }));

        api.MapGet("/nodes", async (ClusterStore store, CancellationToken ct) =>
            Results.Ok((await store.ListNodesAsync(ct)).OrderBy(n => n.Name, StringComparer.Ordinal)));

        api.MapGet("/nodes/{name}", async (string name, ClusterStore store, CancellationToken ct) =>
            await store.GetNodeAsync(name, ct) is { } node ? Results.Ok(node) : ApiResults.NotFound($"node \"{name}\" not found"));

        // kubectl's cordon / uncordon / drain. Drain returns at once; watch the node's replicas leave (orc node drain waits).
        foreach (var (verb, cordoned, draining) in new[] { ("cordon", true, false), ("uncordon", false, false), ("drain", true, true) })
            api.MapPut($"/nodes/{{name}}/{verb}", async (string name, IGrainFactory grains) =>
                await grains.GetGrain<INodeGrain>(name).SetScheduling(cordoned, draining) is { } node
                    ? Results.Ok(node)
                    : ApiResults.NotFound($"node \"{name}\" not found"));

        api.MapGet("/replicas", async (string? @namespace, string? service, string? node, ClusterStore store, CancellationToken ct) =>
        {
            // A filter naming nothing that exists is a typo: say so rather than answer an empty list.
            if (service is not null && !(await store.ListServicesAsync(@namespace, ct)).Any(s => s.Metadata.Name == service))
                return @namespace is null ? ApiResults.NotFound($"service \"{service}\" not found in any namespace") : ServiceNotFound(@namespace, service);
            if (node is not null && await store.GetNodeAsync(node, ct) is null) return ApiResults.NotFound($"node \"{node}\" not found");
            var replicas = await store.ListReplicasAsync(@namespace, service, ct);
            var statuses = (await store.ListReplicaStatusesAsync(@namespace, service, ct)).ToDictionary(s => s.ReplicaId);
            return Results.Ok(ServiceViews.Join(replicas.Where(r => node is null || r.Node == node), statuses));
        });

        // Each service's virtual IP, ports and ready replicas: what every agent balances to and answers DNS with.
        api.MapGet("/endpoints", async (string? @namespace, string? service, ClusterStore store, CancellationToken ct) =>
        {
            var endpoints = await store.ListEndpointsAsync(@namespace, service, ct);
            if (service is not null && endpoints.Count == 0)
                return @namespace is null ? ApiResults.NotFound($"service \"{service}\" not found in any namespace") : ServiceNotFound(@namespace, service);
            return Results.Ok(endpoints);
        });

        api.MapGet("/events", async (string? @namespace, string? service, EventRecorder events, CancellationToken ct) =>
        {
            var scope = (@namespace, service) switch
            {
                (not null, not null) => EventRecorder.ServiceScope(@namespace, service),
                (not null, null) => @namespace,
                _ => null,
            };
            return Results.Ok(await events.ListAsync(scope, 500, ct));
        });
    }

    private static IResult ServiceNotFound(string ns, string name) => ApiResults.NotFound($"service \"{ns}/{name}\" not found");

    /// <summary>Deletes a stored service (its replicas go with the reconcile the caller starts).</summary>
    private static async Task<ApplyResult> DeleteAsync(string ns, string name, bool dryRun,
        ClusterStore store, EventRecorder events, CancellationToken ct)
    {
        var result = new ApplyResult { Kind = ObjectKinds.Service, Namespace = ns, Name = name };
        var exists = await store.GetServiceAsync(ns, name, ct) is not null;
        if (!exists) return result with { Action = ApplyActions.NotFound };
        if (dryRun) return result with { Action = ApplyActions.Deleted };
        if (!await store.DeleteServiceAsync(ns, name, ct)) return result with { Action = ApplyActions.NotFound };
        await events.ClusterEventAsync($"Service/{ns}/{name}", "Deleted", $"service {ns}/{name} deleted with its replicas");
        return result with { Action = ApplyActions.Deleted };
    }

    /// <summary>How long an answer waits for the reconciles it started (they go on after it).</summary>
    public static readonly TimeSpan ReconcileWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Reconciles the touched services right away, carrying this request's trace to the placements, and returns when
    /// they are done or after <see cref="ReconcileWait"/>: the answer then includes the first placement (or removal), so
    /// that what `orc get` shows next has it, while a big change (30 services of 1,000, placed one after the other) is
    /// answered in time and goes on. The change is stored already: a service whose reconcile fails is marked stuck by
    /// its grain, and the others still go on.
    /// </summary>
    internal static Task ReconcileAsync(IGrainFactory grains, IEnumerable<ApplyResult> touched) =>
        Task.WhenAny(
            ReconcilePass.RunAsync(touched.Select(r => $"{r.Namespace}/{r.Name}"),
                key => grains.GetGrain<IServiceGrain>(key).Reconcile(Activity.Current?.Id), int.MaxValue, CancellationToken.None),
            Task.Delay(ReconcileWait, CancellationToken.None));
}
