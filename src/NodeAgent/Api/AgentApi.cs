using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Api;

/// <summary>
/// The agent's own API, for the control plane (docs/api.md, "Agent API"): a replica's container logs as text lines
/// and the cpu and memory its cluster's containers use. Only containers of the agent's cluster are ever visible.
/// </summary>
public static class AgentApi
{
    public static void MapAgentApi(this WebApplication app, string node, string cluster)
    {
        app.MapGet("/v1/replicas/{id}/logs", async (string id, string? tail, string? follow, HttpContext http, IContainerDiagnostics diagnostics) =>
        {
            var ct = http.RequestAborted;
            if (LogQuery.Parse(tail, follow, out var error) is not { } query)
                return Error(StatusCodes.Status400BadRequest, error);
            if (await diagnostics.FindReplicaAsync(id, ct) is not { } container)
                return Error(StatusCodes.Status404NotFound, $"replica \"{id}\" has no container on node {node} (cluster {cluster})");

            var response = http.Response;
            response.ContentType = "text/plain; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            // The headers go out at once, so that a follow with nothing to say yet is still an answer.
            await response.StartAsync(ct);
            try
            {
                await foreach (var lines in diagnostics.LogsAsync(container.Id, query.Tail, query.Follow, ct))
                {
                    await response.WriteAsync(string.Concat(lines.Select(l => l + "\n")), ct);
                    await response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // the caller left
            }
            return Results.Empty;
        });

        app.MapGet("/v1/stats", async (IContainerDiagnostics diagnostics, CancellationToken ct) =>
            Results.Json(new NodeUsage { Node = node, Containers = (await diagnostics.UsageAsync(ct)).ToList() }, Json.Options));

        // docs/volumes.md: the cluster's persistent and shared volumes here, with sizes and the containers that mount them.
        app.MapGet("/v1/volumes", async (INodeVolumes volumes, CancellationToken ct) =>
            Results.Json(new NodeVolumes { Node = node, Volumes = (await volumes.ListVolumesAsync(ct)).ToList() }, Json.Options));

        // 204 when removed or already absent (a retried reclaim is not an error), 409 while a container mounts it.
        app.MapDelete("/v1/volumes/{name}", async (string name, INodeVolumes volumes, CancellationToken ct) =>
        {
            try
            {
                await volumes.RemoveVolumeAsync(name, ct);
                return Results.NoContent();
            }
            catch (VolumeInUseException e)
            {
                return Error(StatusCodes.Status409Conflict, e.Message);
            }
        });
    }

    internal static IResult Error(int status, string message) =>
        Results.Json(new ApiError { Error = message }, Json.Options, statusCode: status);
}
