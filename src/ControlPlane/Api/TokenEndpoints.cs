using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Auth;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>Tokens (orc token create|list|revoke, orc node join-token), a node's join, and orc node rm (docs/security.md).</summary>
public static class TokenEndpoints
{
    /// <summary>The longest a token may live when a TTL is given.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(3650);

    public static void MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/tokens", async (TokenRequest request, TokenStore tokens, CancellationToken ct) =>
        {
            if (!TokenRoles.Issuable.Contains(request.Role))
                return ApiResults.BadRequest($"role \"{request.Role}\" is not one of: {string.Join(", ", TokenRoles.Issuable)}");
            TimeSpan? ttl = null;
            if (request.Ttl is { } text)
            {
                if (!Durations.TryParse(text, out var parsed) || parsed <= TimeSpan.Zero || parsed > MaxTtl)
                    return ApiResults.BadRequest($"ttl \"{text}\" is not a duration like 30m, 24h or 90d (more than 0, at most 3650d)");
                ttl = parsed;
            }
            return Results.Ok(await tokens.CreateAsync(request.Role, ttl, ct));
        });

        app.MapGet("/api/v1/tokens", async (TokenStore tokens, CancellationToken ct) =>
            Results.Ok((await tokens.ListAsync(ct)).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)));

        app.MapDelete("/api/v1/tokens/{id}", async (string id, TokenStore tokens, CancellationToken ct) =>
            await tokens.RevokeAsync(id, ct) ? Results.NoContent() : ApiResults.NotFound($"token \"{id}\" not found"));

        // The bootstrap exchange: a join token buys the credential of one node name, which replaces any it had.
        app.MapPost("/api/v1/nodes/{name}/join", async (string name, HttpContext http, TokenStore tokens, EventRecorder events, CancellationToken ct) =>
        {
            if (ApiResults.CheckName(name, "node") is { } bad) return bad;
            var issued = await tokens.IssueNodeCredentialAsync(name, ct);
            await events.ClusterEventAsync($"Node/{name}", "Joined", $"node \"{name}\" joined with {http.Caller()} and got credential {issued.Info.Id}");
            return Results.Ok(issued);
        });

        app.MapDelete("/api/v1/nodes/{name}", async (string name, ClusterStore store, TokenStore tokens, EventRecorder events,
            IServiceResyncTrigger resync, CancellationToken ct) =>
        {
            var revoked = await tokens.RevokeNodeAsync(name, ct);
            var removed = await store.DeleteNodeAsync(name, ct);
            if (!removed && revoked == 0) return ApiResults.NotFound($"node \"{name}\" not found");
            await events.ClusterEventAsync($"Node/{name}", "Removed", $"node \"{name}\" removed; {revoked} credential(s) revoked", warning: true);
            resync.Trigger();
            return Results.NoContent();
        });
    }
}
