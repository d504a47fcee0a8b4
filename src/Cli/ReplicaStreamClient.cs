using System.Net;
using System.Net.WebSockets;
using Orchestrator.Contracts;

namespace Orchestrator.Orc;

/// <summary>
/// Opens the control plane's WebSockets of `orc exec` and `orc port-forward` (GET /api/v1/namespaces/{ns}/replicas/{target}/exec
/// or /portforward, the <see cref="ReplicaStreams"/> protocol). Every failure to open one is a <see cref="CliException"/> that
/// says what to do; what goes wrong after it opened comes as a <see cref="StreamStatus"/> on the socket.
/// </summary>
public sealed class ReplicaStreamClient(HttpMessageInvoker invoker, Uri server, string? token) : IDisposable
{
    public Task<WebSocket> ExecAsync(string ns, string target, IReadOnlyList<string> command, bool tty, bool stdin, CancellationToken ct) =>
        OpenAsync(ns, target, "exec" + ReplicaStreams.ExecQuery(command, tty, stdin), "orc exec", ct);

    public Task<WebSocket> PortForwardAsync(string ns, string target, int port, CancellationToken ct) =>
        OpenAsync(ns, target, "portforward" + ReplicaStreams.PortForwardQuery(port), "orc port-forward", ct);

    /// <summary>The control plane refused the token (401 or 403): trying again will not help.</summary>
    public bool Refused { get; private set; }

    private string Server => server.OriginalString.TrimEnd('/');

    private async Task<WebSocket> OpenAsync(string ns, string target, string what, string verb, CancellationToken ct)
    {
        var path = $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/replicas/{Uri.EscapeDataString(target)}/{what}";
        var url = new UriBuilder(new Uri(new Uri(Server + "/"), path)) { Scheme = server.Scheme == Uri.UriSchemeHttp ? "ws" : "wss" }.Uri;
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null) socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        try
        {
            await socket.ConnectAsync(url, invoker, ct);
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            Refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            throw new CliException(status switch
            {
                HttpStatusCode.Unauthorized => $"the control plane at {Server} did not accept the token; {ClientToken.Where}",
                HttpStatusCode.Forbidden => $"the control plane at {Server} refused: {verb} needs an admin token (403 Forbidden)",
                HttpStatusCode.NotFound => $"the control plane at {Server} has no {what[..what.IndexOf('?')]} route (is it older than orc?)",
                0 when (e.InnerException ?? e) is { } inner && inner.ToString().Contains("AuthenticationException", StringComparison.Ordinal) =>
                    $"the control plane at {Server} has a TLS certificate orc does not trust: give the cluster CA with --ca-file or {ClusterCaFile.Variable}",
                0 => $"cannot reach the control plane at {Server} (is it running? see ./up.sh): {(e.InnerException ?? e).Message}",
                _ => $"the control plane at {Server} answered {(int)status} {status} to {verb}",
            }, inner: e);
        }
    }

    public void Dispose() => invoker.Dispose();
}
