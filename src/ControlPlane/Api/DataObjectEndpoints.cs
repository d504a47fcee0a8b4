using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// Secrets and configs (docs/secrets.md): created and changed by apply, listed, read and deleted here. A secret is
/// answered as its keys and sizes only; its values leave the control plane to no API caller.
/// </summary>
public static class DataObjectEndpoints
{
    public static void MapDataObjectEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapGet("/secrets", async (string? @namespace, ClusterStore store, CancellationToken ct) =>
            Results.Ok(await store.ListSecretsAsync(@namespace, ct)));
        api.MapGet("/namespaces/{ns}/secrets/{name}", async (string ns, string name, ClusterStore store, CancellationToken ct) =>
            await store.GetSecretAsync(ns, name, ct) is { } view ? Results.Ok(view) : NotFound(ObjectKinds.Secret, ns, name));
        api.MapDelete("/namespaces/{ns}/secrets/{name}", (string ns, string name, ClusterStore store, CancellationToken ct) =>
            DeleteOneAsync(DataKinds.Secret, ns, name, store, ct));

        // `orc secret rotate-key`: every secret sealed again with a new key; the old key leaves the key file.
        api.MapPost("/secrets/rotate-key", async (ClusterStore store, EventRecorder events, CancellationToken ct) =>
        {
            var (keyId, count) = await store.RotateSecretsKeyAsync(ct);
            await events.ClusterEventAsync("Secrets", "KeyRotated", $"secrets sealed again with key {keyId}: {count}");
            return Results.Ok(new KeyRotation { KeyId = keyId, Secrets = count });
        });

        api.MapGet("/configs", async (string? @namespace, ClusterStore store, CancellationToken ct) =>
            Results.Ok(await store.ListConfigsAsync(@namespace, ct)));
        api.MapGet("/namespaces/{ns}/configs/{name}", async (string ns, string name, ClusterStore store, CancellationToken ct) =>
            await store.GetConfigAsync(ns, name, ct) is { } config ? Results.Ok(config) : NotFound(ObjectKinds.Config, ns, name));
        api.MapDelete("/namespaces/{ns}/configs/{name}", (string ns, string name, ClusterStore store, CancellationToken ct) =>
            DeleteOneAsync(DataKinds.Config, ns, name, store, ct));
    }

    /// <summary>`orc delete secret|config NAME`: 409 naming the services that still use it (<see cref="DataObjectUse"/>).</summary>
    private static async Task<IResult> DeleteOneAsync(string kind, string ns, string name, ClusterStore store, CancellationToken ct)
    {
        if (await InUseAsync([(kind, ns, name)], new HashSet<string>(), store, ct) is { } refusal) return ApiResults.Error(StatusCodes.Status409Conflict, refusal);
        var result = kind == DataKinds.Secret ? await DeleteSecretAsync(ns, name, false, store, ct) : await DeleteConfigAsync(ns, name, false, store, ct);
        return result.Action == ApplyActions.Deleted ? Results.Ok(result) : NotFound(result.Kind, ns, name);
    }

    /// <summary>
    /// Why some of <paramref name="objects"/> may not be deleted: a service uses it that is not among
    /// <paramref name="deletedWith"/> ("ns/name", deleted by the same request first). Read from the cache once it has
    /// caught up; an apply that adds a reference between this check and the deletion is not seen (the window of one request).
    /// </summary>
    public static async Task<string?> InUseAsync(IEnumerable<(string Kind, string Namespace, string Name)> objects, IReadOnlySet<string> deletedWith,
        ClusterStore store, CancellationToken ct)
    {
        await store.SyncAsync(ct);
        var refusals = new List<string>();
        foreach (var group in objects.GroupBy(o => o.Namespace))
        {
            var remaining = (await store.ListServicesAsync(group.Key, ct)).Where(s => !deletedWith.Contains(s.Key)).ToList();
            refusals.AddRange(group.Select(o => DataObjectUse.Refusal(o.Kind, o.Namespace, o.Name, remaining)).OfType<string>());
        }
        return refusals.Count > 0 ? string.Join("\n", refusals) : null;
    }

    public static Task<ApplyResult> DeleteSecretAsync(string ns, string name, bool dryRun, ClusterStore store, CancellationToken ct) =>
        DeleteAsync(ObjectKinds.Secret, ns, name, dryRun, async () => await store.GetSecretAsync(ns, name, ct) is not null, () => store.DeleteSecretAsync(ns, name, ct));

    public static Task<ApplyResult> DeleteConfigAsync(string ns, string name, bool dryRun, ClusterStore store, CancellationToken ct) =>
        DeleteAsync(ObjectKinds.Config, ns, name, dryRun, async () => await store.GetConfigAsync(ns, name, ct) is not null, () => store.DeleteConfigAsync(ns, name, ct));

    private static async Task<ApplyResult> DeleteAsync(string kind, string ns, string name, bool dryRun, Func<Task<bool>> exists, Func<Task<bool>> delete)
    {
        var deleted = await exists() && (dryRun || await delete());
        return new ApplyResult { Kind = kind, Namespace = ns, Name = name, Action = deleted ? ApplyActions.Deleted : ApplyActions.NotFound };
    }

    private static IResult NotFound(string kind, string ns, string name) => ApiResults.NotFound($"{kind.ToLowerInvariant()} \"{ns}/{name}\" not found");
}
