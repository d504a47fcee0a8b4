using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// Releases of charts (docs/charts.md): `orc chart install|upgrade|rollback|uninstall|list|history`. The client renders
/// the chart; here the rendered files are validated like any apply (file:line:column, all or nothing), each service gets
/// the release's label, and the services and the release's new revision are written in one transaction.
/// </summary>
public static class ReleaseEndpoints
{
    public static void MapReleaseEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapGet("/releases", async (string? @namespace, ClusterStore store, CancellationToken ct) =>
            Results.Ok((await store.ListReleasesAsync(@namespace, ct)).Select(ReleaseSummary.Of)));

        var one = api.MapGroup("/namespaces/{ns}/releases/{name}");

        one.MapGet("/history", async (string ns, string name, ClusterStore store, CancellationToken ct) =>
            await store.ListReleaseRevisionsAsync(ns, name, ct) is { Count: > 0 } revisions
                ? Results.Ok(revisions.Select(ReleaseSummary.Of))
                : NotFound(ns, name));

        one.MapPost("", async (string ns, string name, ReleaseRequest request, ClusterStore store, IGrainFactory grains, EventRecorder events, CancellationToken ct) =>
        {
            if ((ApiResults.CheckName(name, "release") ?? ApiResults.CheckName(ns, "namespace")) is { } bad) return bad;
            if (request.Mode is not (ReleaseModes.Install or ReleaseModes.Upgrade))
                return ApiResults.BadRequest($"mode must be {ReleaseModes.Install} or {ReleaseModes.Upgrade}, got \"{request.Mode}\"");
            var revision = new ReleaseRevision
            {
                Name = name, Namespace = ns, Chart = request.Chart, Values = request.Values, Files = request.Files, Description = request.Mode,
            };
            return await WriteAsync(revision, request.Mode == ReleaseModes.Upgrade, request.DryRun, store, grains, events, ct);
        });

        one.MapPost("/rollback", async (string ns, string name, ReleaseRollbackRequest request, ClusterStore store, IGrainFactory grains, EventRecorder events, CancellationToken ct) =>
        {
            var revisions = await store.ListReleaseRevisionsAsync(ns, name, ct);
            if (revisions.Count == 0) return NotFound(ns, name);
            var to = request.ToRevision > 0 ? request.ToRevision : revisions[^1].Revision - 1;
            if (revisions.FirstOrDefault(r => r.Revision == to) is not { } target)
                return ApiResults.BadRequest($"release \"{ns}/{name}\" has no revision {to}; it keeps {string.Join(", ", revisions.Select(r => r.Revision))}");
            return await WriteAsync(target with { Description = $"rollback to {to}" }, mustExist: true, dryRun: false, store, grains, events, ct);
        });

        one.MapDelete("", async (string ns, string name, ClusterStore store, IGrainFactory grains, EventRecorder events, CancellationToken ct) =>
        {
            var outcome = await store.UninstallReleaseAsync(ns, name, ct);
            if (outcome.NotFound) return NotFound(ns, name);
            if (outcome.Error is { } error) return ApiResults.Error(StatusCodes.Status409Conflict, error + "; nothing was uninstalled");
            await AfterAsync(outcome, grains, events);
            await events.ClusterEventAsync($"Release/{ns}/{name}", "Uninstalled", $"release {ns}/{name} uninstalled with {outcome.Deleted.Count} object(s)");
            return Results.Ok(new ReleaseResponse { Name = name, Namespace = ns, Revision = outcome.Revision, Results = outcome.Results });
        });
    }

    private static async Task<IResult> WriteAsync(ReleaseRevision revision, bool mustExist, bool dryRun,
        ClusterStore store, IGrainFactory grains, EventRecorder events, CancellationToken ct)
    {
        var (ns, name) = (revision.Namespace, revision.Name);
        var loaded = ManifestLoader.Load(revision.Files);
        if (!loaded.Ok)
            return ApiResults.Error(StatusCodes.Status400BadRequest,
                $"{loaded.Errors.Count} error(s) in the rendered chart; nothing was written", loaded.Errors);
        if (await store.MissingReferencesAsync(loaded, ct) is [_, ..] missing)
            return ApiResults.Error(StatusCodes.Status400BadRequest, $"{missing.Count} missing secret or config reference(s) in the rendered chart; nothing was written", missing);
        var elsewhere = loaded.Services.Where(s => s.Metadata.Namespace != ns).Select(s => $"service \"{s.Key}\"")
            .Concat(loaded.Secrets.Where(s => s.Metadata.Namespace != ns).Select(s => $"secret \"{s.Key}\""))
            .Concat(loaded.Configs.Where(c => c.Metadata.Namespace != ns).Select(c => $"config \"{c.Key}\"")).FirstOrDefault();
        if (elsewhere is not null)
            return ApiResults.BadRequest($"{elsewhere} is not in the release's namespace \"{ns}\"; " +
                "a release holds objects of its own namespace (write namespace: {{ Release.Namespace }})");
        var labelled = new LoadResult
        {
            Services = loaded.Services.Select(s => s with { Metadata = Labelled(s.Metadata, name) }).ToList(),
            Secrets = loaded.Secrets.Select(s => s with { Metadata = Labelled(s.Metadata, name) }).ToList(),
            Configs = loaded.Configs.Select(c => c with { Metadata = Labelled(c.Metadata, name) }).ToList(),
        };
        var outcome = await store.WriteReleaseAsync(revision, labelled, mustExist, dryRun, ct);
        if (outcome.NotFound) return NotFound(ns, name);
        if (outcome.Error is { } error) return ApiResults.Error(StatusCodes.Status409Conflict, error);
        if (!dryRun)
        {
            await AfterAsync(outcome, grains, events);
            await events.ClusterEventAsync($"Release/{ns}/{name}", "ReleaseWritten", $"release {ns}/{name} revision {outcome.Revision}: {revision.Description}");
        }
        return Results.Ok(new ReleaseResponse { Name = name, Namespace = ns, Revision = outcome.Revision, Results = outcome.Results });
    }

    private static ObjectMeta Labelled(ObjectMeta meta, string release) =>
        meta with { Labels = new Dictionary<string, string>(meta.Labels) { [ReleaseLabels.Release] = release } };

    /// <summary>The stored change is acted on at once: changed services reconcile, deleted ones let their replicas go.</summary>
    private static async Task AfterAsync(ReleaseOutcome outcome, IGrainFactory grains, EventRecorder events)
    {
        foreach (var d in outcome.Deleted)
            await events.ClusterEventAsync($"{d.Kind}/{d.Namespace}/{d.Name}", "Deleted", $"{d.Kind.ToLowerInvariant()} {d.Namespace}/{d.Name} deleted with its release's change");
        await ObjectEndpoints.ReconcileAsync(grains, outcome.Results.Where(r => r.Kind == ObjectKinds.Service && r.Action != ApplyActions.Unchanged));
    }

    private static IResult NotFound(string ns, string name) => ApiResults.NotFound($"release \"{ns}/{name}\" not found");
}
