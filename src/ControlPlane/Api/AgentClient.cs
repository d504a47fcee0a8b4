using System.Net.Sockets;
using Orchestrator.Contracts;
using Orchestrator.Tls;

namespace Orchestrator.ControlPlane.Api;

/// <summary>A call to a node's agent that failed; the message names the node and the address tried.</summary>
public sealed class AgentCallException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The control plane's calls to the agents' own API (GET /v1/replicas/{id}/logs, GET /v1/stats) at the
/// <see cref="NodeInfo.AgentUrl"/> each registered. Log streams may stay open for hours, so the client has no overall
/// timeout; the connect has a short one and each call adds its own.
/// </summary>
public sealed class AgentClient(ClusterCertificates certificates) : IDisposable
{
    /// <summary>The pin the agent registered (<see cref="NodeInfo.AgentCertificateSha256"/>), carried by each request to the validation callback.</summary>
    private static readonly HttpRequestOptionsKey<string> Pin = new("orchestrator.agent-pin");

    /// <summary>An agent that does not accept a connection within this is taken as unreachable.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The longest wait for the headers of a logs answer (the agent sends them before any line).</summary>
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait for an agent's stats: the engine needs about a second to take its two samples.</summary>
    public static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(5);

    // Mutual TLS: we present the control plane's client certificate (the agent answers nothing else) and accept
    // exactly the certificate the node registered, so a process that took over the agent's address learns nothing.
    private readonly HttpClient _http = new(new HttpClientHandler
    {
        ClientCertificateOptions = ClientCertificateOption.Manual,
        ClientCertificates = { certificates.Client },
        ServerCertificateCustomValidationCallback = (request, certificate, _, _) =>
            request.Options.TryGetValue(Pin, out var pin) && CertificatePin.Matches(certificate, pin),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Opens the log stream of one replica on its node; the caller reads and disposes the answer.</summary>
    public async Task<HttpResponseMessage> OpenLogsAsync(NodeInfo node, string replicaId, LogQuery query, CancellationToken ct)
    {
        var path = $"v1/replicas/{Uri.EscapeDataString(replicaId)}/logs{query.ToQueryString()}";
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(ct);
        headers.CancelAfter(HeadersTimeout);
        return await SendAsync(node, path, headers.Token, ct);
    }

    public Task<NodeUsage> UsageAsync(NodeInfo node, CancellationToken ct) => GetJsonAsync<NodeUsage>(node, "v1/stats", "stats", ct);

    /// <summary>The cluster's persistent and shared volumes on the node, with sizes and the containers that mount them.</summary>
    public Task<NodeVolumes> VolumesAsync(NodeInfo node, CancellationToken ct) => GetJsonAsync<NodeVolumes>(node, "v1/volumes", "volumes", ct);

    /// <summary>A JSON answer of the agent within <see cref="StatsTimeout"/>; <paramref name="what"/> names it in errors.</summary>
    private async Task<T> GetJsonAsync<T>(NodeInfo node, string path, string what, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StatsTimeout);
        using var response = await SendAsync(node, path, timeout.Token, ct);
        try
        {
            return Json.Deserialize<T>(await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new AgentCallException($"the agent of node {node.Name} at {node.AgentUrl} answered {what} orc cannot read: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new AgentCallException($"the agent of node {node.Name} at {node.AgentUrl} did not answer within {StatsTimeout.TotalSeconds:0} s", e);
        }
    }

    /// <summary>Removes one of the cluster's volumes on the node (absent is fine); refused (an <see cref="AgentCallException"/>) while a container mounts it.</summary>
    public async Task RemoveVolumeAsync(NodeInfo node, string name, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StatsTimeout);
        using var _ = await SendAsync(node, $"v1/volumes/{Uri.EscapeDataString(name)}", timeout.Token, ct, HttpMethod.Delete);
    }

    /// <summary>
    /// Opens a WebSocket to <paramref name="path"/> on the node's agent (exec, port-forward), with the same mutual TLS and
    /// pin as every other call; the caller relays and disposes it.
    /// </summary>
    public async Task<System.Net.WebSockets.WebSocket> ConnectStreamAsync(NodeInfo node, string path, CancellationToken ct)
    {
        var where = Where(node);
        var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.ClientCertificates.Add(certificates.Client);
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            CertificatePin.Matches(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2, node.AgentCertificateSha256);
        socket.Options.CollectHttpResponseDetails = true;
        var url = new UriBuilder(new Uri(new Uri(node.AgentUrl!.TrimEnd('/') + "/"), path)) { Scheme = "wss" }.Uri;
        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connecting.CancelAfter(HeadersTimeout);
        try
        {
            await socket.ConnectAsync(url, connecting.Token);
            return socket;
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or HttpRequestException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new AgentCallException(e is OperationCanceledException ? $"{where} did not answer in time"
                : status != 0 ? $"{where} answered {(int)status} to the stream request (is it older than exec and port-forward? restart it)"
                : $"cannot reach {where}: {(e.InnerException ?? e).Message}", e);
        }
    }

    /// <summary>"the agent of node n1 at https://...", or the error that there is no agent to call.</summary>
    private static string Where(NodeInfo node)
    {
        if (string.IsNullOrEmpty(node.AgentUrl))
            throw new AgentCallException($"node {node.Name} has no agent URL on record (its agent is older than logs and stats; restart it)");
        if (string.IsNullOrEmpty(node.AgentCertificateSha256))
            throw new AgentCallException($"the agent of node {node.Name} at {node.AgentUrl} registered no certificate (its agent is older than TLS; restart it)");
        return $"the agent of node {node.Name} at {node.AgentUrl}";
    }

    /// <summary>GET (or <paramref name="method"/>) <paramref name="path"/> on the node's agent, answered 2xx with its headers read; anything else is an <see cref="AgentCallException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(NodeInfo node, string path, CancellationToken timeout, CancellationToken ct, HttpMethod? method = null)
    {
        var where = Where(node);
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(new Uri(node.AgentUrl.TrimEnd('/') + "/"), path));
            request.Options.Set(Pin, node.AgentCertificateSha256);
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout);
        }
        catch (HttpRequestException e)
        {
            throw new AgentCallException($"cannot reach {where}: {(e.InnerException is SocketException s ? s.Message
                : e.InnerException is System.Security.Authentication.AuthenticationException ? "its TLS certificate is not the one it registered" : e.Message)}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new AgentCallException($"{where} did not answer in time", e);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(timeout);
            string? error = null;
            try { error = Json.Deserialize<ApiError>(text).Error; }
            catch (System.Text.Json.JsonException) { }
            throw new AgentCallException($"{where} answered {(int)response.StatusCode}: {(string.IsNullOrWhiteSpace(error) ? response.ReasonPhrase : error)}");
        }
    }

    public void Dispose() => _http.Dispose();
}
