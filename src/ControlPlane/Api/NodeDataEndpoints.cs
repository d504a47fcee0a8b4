using System.Text;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Auth;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// Where an agent fetches the values of the secrets and configs its replicas use (Kubernetes' kubelet fetch under the
/// Node authorizer): the assignment stream carries only references. A node gets an object only while a replica
/// assigned to it uses it; otherwise 403 and a Forbidden event. Only a node's own credential may call (not even an
/// admin: values go to nodes, never to people). Values are never logged, traced or counted by name and value.
/// </summary>
public static class NodeDataEndpoints
{
    public static void MapNodeDataEndpoints(this IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/api/v1/nodes/{name}");
        nodes.MapGet("/secrets/{ns}/{secret}", (string name, string ns, string secret, HttpContext http, ClusterStore store, EventRecorder events) =>
            ServeAsync(DataKinds.Secret, name, ns, secret, http, store, events));
        nodes.MapGet("/configs/{ns}/{config}", (string name, string ns, string config, HttpContext http, ClusterStore store, EventRecorder events) =>
            ServeAsync(DataKinds.Config, name, ns, config, http, store, events));
    }

    private static async Task<IResult> ServeAsync(string kind, string node, string ns, string objectName, HttpContext http, ClusterStore store, EventRecorder events)
    {
        var ct = http.RequestAborted;
        var replicas = await store.ListReplicasAsync(ns, null, ct);
        var user = replicas.FirstOrDefault(r => r.Node == node && SpecReferences.Of(r.Container).Contains((kind, objectName)));
        if (user is null)
        {
            var message = $"node \"{node}\" may read {kind} {ns}/{objectName} only while a replica assigned to it uses it; none does";
            await events.ClusterEventAsync($"Node/{node}", "Forbidden", $"node \"{node}\" was refused GET {http.Request.Path}: {message}", warning: true);
            return ApiResults.Error(StatusCodes.Status403Forbidden, message);
        }
        Dictionary<string, string>? data = kind == DataKinds.Secret
            ? (await store.OpenSecretAsync(ns, objectName, ct))?.Data
            : (await store.GetConfigAsync(ns, objectName, ct))?.Data.ToDictionary(d => d.Key, d => Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Value)));
        if (data is null) return ApiResults.NotFound($"{kind} {ns}/{objectName} does not exist");
        return Results.Ok(new DeliveredData { Kind = kind, Namespace = ns, Name = objectName, Data = data });
    }
}
