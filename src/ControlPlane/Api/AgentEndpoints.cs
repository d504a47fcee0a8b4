using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Grains;
using Orchestrator.ControlPlane.Auth;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>What node agents call: register, heartbeat, report, the assignment stream and the network long poll (docs/api.md).</summary>
public static class AgentEndpoints
{
    public static void MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/api/v1/nodes/{name}");

        nodes.MapPut("", async (string name, NodeRegistration registration, IGrainFactory grains) =>
            ApiResults.CheckName(name, "node")
            ?? (registration.AgentUrl.Length > 0 && !AgentUrls.IsValid(registration.AgentUrl)
                ? ApiResults.BadRequest($"agentUrl \"{registration.AgentUrl}\" is invalid: {AgentUrls.Allowed}")
                : null)
            ?? (registration.AgentUrl.Length > 0 && !AgentUrls.IsValidPin(registration.AgentCertificateSha256)
                ? ApiResults.BadRequest($"agentCertificateSha256 \"{registration.AgentCertificateSha256}\" is invalid: {AgentUrls.PinAllowed}")
                : null)
            ?? (ListeningPort.Problem(registration.PortsInUse, "portsInUse") is { } ports ? ApiResults.BadRequest(ports) : null)
            ?? Results.Ok(await grains.GetGrain<INodeGrain>(name).Register(registration)));

        nodes.MapPost("/heartbeat", async (string name, NodeHeartbeat heartbeat, IGrainFactory grains) =>
            ListeningPort.Problem(heartbeat.PortsInUse, "portsInUse") is { } ports ? ApiResults.BadRequest(ports) :
            await grains.GetGrain<INodeGrain>(name).Heartbeat(heartbeat) is { } node
                ? Results.Ok(node)
                : ApiResults.NotFound($"node \"{name}\" is not registered; register it first"));

        // NodeRestriction: a node reports only replicas assigned to it (a replica already removed is dropped anyway).
        nodes.MapPost("/status", async (string name, NodeStatusReport report, HttpContext http, ClusterStore store, EventRecorder events, IGrainFactory grains) =>
        {
            if (http.Caller().IsNode && await store.AssignedElsewhereAsync(name, report.Replicas, http.RequestAborted) is [var other, ..])
            {
                var message = $"node \"{name}\" may report only replicas assigned to it; {other.Id} is assigned to node \"{other.Node}\"";
                await events.ClusterEventAsync($"Node/{name}", "Forbidden", $"node \"{name}\" was refused POST {http.Request.Path}: {message}", warning: true);
                return ApiResults.Error(StatusCodes.Status403Forbidden, message);
            }
            await grains.GetGrain<INodeGrain>(name).ReportStatus(report);
            return Results.NoContent();
        });

        // A stopping control plane ends its streams at once, so that agents resume them from another one.
        nodes.MapGet("/assignments", async (string name, long? resourceVersion, HttpContext http, AssignmentStream stream, ControlPlaneLifecycle lifecycle) =>
        {
            using var open = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifecycle.StoppingToken);
            await stream.ServeAsync(http.Response, name, resourceVersion ?? 0, open.Token);
        });

        // The cluster network pushed as a long poll: answered at once when the agent's version is not the current one,
        // else at the next change (or after wait seconds, at most 30: the same view, asked for again).
        nodes.MapGet("/network", async (string name, string? version, int? wait, HttpContext http, Network.NetworkPublisher network, ControlPlaneLifecycle lifecycle) =>
        {
            if (wait is < 0 or > 30) return ApiResults.BadRequest($"wait={wait} is not allowed; give whole seconds from 0 to 30");
            using var open = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifecycle.StoppingToken);
            try { return Results.Ok(await network.WaitAsync(version, TimeSpan.FromSeconds(wait ?? 20), open.Token)); }
            catch (OperationCanceledException) when (lifecycle.StoppingToken.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
            {
                return Results.Ok(network.Current ?? await network.BuildAsync(http.RequestAborted));
            }
        });
    }
}
