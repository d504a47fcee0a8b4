using System.Net.Sockets;
using System.Net.WebSockets;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Api;

/// <summary>
/// The agent's WebSocket routes for `orc exec` and `orc port-forward` (the <see cref="ReplicaStreams"/> protocol), reached
/// only through the control plane's relay: like every /v1 route, only with the control plane's client certificate.
/// Once the socket is open every failure is a <see cref="StreamStatus"/> with its error, so the person at orc reads it.
/// </summary>
public static class ReplicaStreamApi
{
    /// <summary>A replica's port that does not accept a connection within this is taken as closed.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public static void MapReplicaStreamApi(this WebApplication app, string node)
    {
        app.MapGet("/v1/replicas/{id}/exec", async (string id, HttpContext http, IContainerDiagnostics diagnostics, IContainerExec exec) =>
        {
            var query = http.Request.Query;
            if (ReplicaStreams.ParseCommand(query["command"], out var error) is not { } command
                || ReplicaStreams.ParseFlag("tty", query["tty"], out error) is not { } tty
                || ReplicaStreams.ParseFlag("stdin", query["stdin"], out error) is not { } stdin)
                return AgentApi.Error(StatusCodes.Status400BadRequest, error);
            if (!http.WebSockets.IsWebSocketRequest) return NotWebSocket();
            var ct = http.RequestAborted;
            var (socket, container) = await AcceptAsync(http, diagnostics, id, node);
            using var _ = socket;
            if (container is null) return Results.Empty;
            IExecProcess process;
            try { process = await exec.StartExecAsync(container.Id, command, tty, stdin, ct); }
            catch (ExecFailedException e)
            {
                await StreamMessages.EndAsync(socket, new StreamStatus { Error = $"cannot run {command[0]} in replica {id} on node {node}: {e.Message}" }, ct);
                return Results.Empty;
            }
            await using (process) await ExecSession.RunAsync(socket, process, ct);
            return Results.Empty;
        });

        app.MapGet("/v1/replicas/{id}/portforward", async (string id, string? port, HttpContext http, IContainerDiagnostics diagnostics) =>
        {
            if (ReplicaStreams.ParsePort(port, out var error) is not { } remote) return AgentApi.Error(StatusCodes.Status400BadRequest, error);
            if (!http.WebSockets.IsWebSocketRequest) return NotWebSocket();
            var ct = http.RequestAborted;
            var (socket, container) = await AcceptAsync(http, diagnostics, id, node);
            using var _ = socket;
            if (container is null) return Results.Empty;
            var (host, hostPort) = Target(container, remote);
            using var tcp = new TcpClient();
            try
            {
                using var connecting = CancellationTokenSource.CreateLinkedTokenSource(ct);
                connecting.CancelAfter(ConnectTimeout);
                await tcp.ConnectAsync(host, hostPort, connecting.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                var why = e is SocketException s ? s.Message : $"no answer within {ConnectTimeout.TotalSeconds:0} s";
                await StreamMessages.EndAsync(socket, new StreamStatus { Error = $"cannot connect to port {remote} of replica {id} ({host}:{hostPort} on node {node}): {why}" }, ct);
                return Results.Empty;
            }
            await WebSocketPipe.PipeAsync(socket, tcp.GetStream(), _ => { }, ct);
            return Results.Empty;
        });
    }

    /// <summary>The container's own address, or, when it has none the agent can reach, the host port the engine publishes the port on.</summary>
    private static (string Host, int Port) Target(ObservedContainer container, int port) =>
        container.Address is { Length: > 0 } address ? (address, port)
            : container.Ports.FirstOrDefault(p => p.ContainerPort == port && p.HostPort > 0) is { } published
                ? (published.HostIp is { Length: > 0 } ip && ip != "0.0.0.0" && ip != "::" ? ip : "127.0.0.1", published.HostPort)
                : ("127.0.0.1", port);

    /// <summary>The socket, and the replica's running container; without one the socket has already said so and closed.</summary>
    private static async Task<(WebSocket Socket, ObservedContainer? Container)> AcceptAsync(HttpContext http, IContainerDiagnostics diagnostics,
        string id, string node)
    {
        var socket = await http.WebSockets.AcceptWebSocketAsync();
        if (await diagnostics.FindReplicaAsync(id, http.RequestAborted) is { IsRunning: true } container) return (socket, container);
        await StreamMessages.EndAsync(socket, new StreamStatus { Error = $"replica {id} has no running container on node {node}" }, http.RequestAborted);
        return (socket, null);
    }

    private static IResult NotWebSocket() =>
        AgentApi.Error(StatusCodes.Status400BadRequest, "this route speaks WebSocket only: send an upgrade request (orc exec and orc port-forward do)");
}
