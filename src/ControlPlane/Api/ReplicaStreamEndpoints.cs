using System.Net.WebSockets;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// GET /api/v1/namespaces/{ns}/replicas/{target}/exec?command=..&amp;tty=&amp;stdin= and …/portforward?port=N: WebSockets
/// (the <see cref="ReplicaStreams"/> protocol) that the control plane relays to the agent running the replica
/// (<see cref="ReplicaTarget"/> says which), over the agent client's mutual TLS. A bad query is a 400 before the upgrade;
/// once the socket is open, every failure is a <see cref="StreamStatus"/> with its error, so that orc can print it.
/// </summary>
public static class ReplicaStreamEndpoints
{
    private const string Replica = "/api/v1/namespaces/{ns}/replicas/{target}";

    public static void MapReplicaStreamEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Replica + "/exec", (string ns, string target, HttpContext http, ClusterStore store, AgentClient agents) =>
        {
            var query = http.Request.Query;
            if (ReplicaStreams.ParseCommand(query["command"], out var error) is not { } command
                || ReplicaStreams.ParseFlag("tty", query["tty"], out error) is not { } tty
                || ReplicaStreams.ParseFlag("stdin", query["stdin"], out error) is not { } stdin)
                return Task.FromResult(ApiResults.BadRequest(error));
            return RelayAsync(http, ns, target, id => $"v1/replicas/{Uri.EscapeDataString(id)}/exec{ReplicaStreams.ExecQuery(command, tty, stdin)}", store, agents);
        });

        app.MapGet(Replica + "/portforward", (string ns, string target, string? port, HttpContext http, ClusterStore store, AgentClient agents) =>
            ReplicaStreams.ParsePort(port, out var error) is not { } remote
                ? Task.FromResult(ApiResults.BadRequest(error))
                : RelayAsync(http, ns, target, id => $"v1/replicas/{Uri.EscapeDataString(id)}/portforward{ReplicaStreams.PortForwardQuery(remote)}", store, agents));
    }

    private static async Task<IResult> RelayAsync(HttpContext http, string ns, string target, Func<string, string> agentPath,
        ClusterStore store, AgentClient agents)
    {
        if (!http.WebSockets.IsWebSocketRequest)
            return ApiResults.BadRequest("this route speaks WebSocket only: send an upgrade request (orc exec and orc port-forward do)");
        var ct = http.RequestAborted;
        using var client = await http.WebSockets.AcceptWebSocketAsync();
        var (agent, error) = await ConnectAsync(ns, target, agentPath, store, agents, ct);
        if (agent is null)
        {
            await StreamMessages.EndAsync(client, new StreamStatus { Error = error }, ct);
            return Results.Empty;
        }
        using (agent) await WebSocketRelay.RelayAsync(client, agent, ct);
        return Results.Empty;
    }

    private static async Task<(WebSocket? Agent, string? Error)> ConnectAsync(string ns, string target, Func<string, string> agentPath,
        ClusterStore store, AgentClient agents, CancellationToken ct)
    {
        var replicas = await store.ListReplicasAsync(ns, null, ct);
        var statuses = (await store.ListReplicaStatusesAsync(ns, null, ct)).ToDictionary(s => s.ReplicaId);
        var choice = ReplicaTarget.Choose(ns, target, replicas, statuses);
        if (choice.Replica is not { } replica) return (null, choice.Error);
        if (await store.GetNodeAsync(replica.Node, ct) is not { } node)
            return (null, $"replica {replica.ContainerName} is on node {replica.Node}, which is not registered");
        try
        {
            return (await agents.ConnectStreamAsync(node, agentPath(replica.Id), ct), null);
        }
        catch (AgentCallException e)
        {
            return (null, $"replica {replica.ContainerName}: {e.Message}");
        }
    }
}
