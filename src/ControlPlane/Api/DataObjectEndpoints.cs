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
        api.MapDelete("/namespaces/{ns}/secrets/{name}", async (string ns, string name, ClusterStore store, CancellationToken ct) =>
            await DeleteSecretAsync(ns, name, false, store, ct) is { Action: ApplyActions.Deleted } result ? Results.Ok(result) : NotFound(ObjectKinds.Secret, ns, name));

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
        api.MapDelete("/namespaces/{ns}/configs/{name}", async (string ns, string name, ClusterStore store, CancellationToken ct) =>
            await DeleteConfigAsync(ns, name, false, store, ct) is { Action: ApplyActions.Deleted } result ? Results.Ok(result) : NotFound(ObjectKinds.Config, ns, name));
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
