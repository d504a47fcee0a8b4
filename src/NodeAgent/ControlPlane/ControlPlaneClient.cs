using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.ControlPlane;

/// <summary>
/// The agent's side of the HTTP contract in docs/api.md (the "Agents" table). The HttpClient must have an
/// infinite timeout because the assignment stream stays open; each short call carries its own timeout.
/// </summary>
public sealed class ControlPlaneClient(HttpClient http, string node) : Runtime.IReplicaDataSource
{
    /// <summary>Register, heartbeat and status are small; an answer slower than this counts as "unreachable".</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Makes the client's calls go over HTTP/2 when the control plane offers it (TLS ALPN; Kestrel does), HTTP/1.1
    /// otherwise: one connection then carries the heartbeats, the reports and both long-lived streams, where HTTP/1.1
    /// took a connection each (3,000 TLS connections, with their buffers, in a control plane of 1,000 nodes).
    /// </summary>
    public static HttpClient PreferHttp2(HttpClient client)
    {
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        return client;
    }

    private string NodePath => $"api/v1/nodes/{Uri.EscapeDataString(node)}";

    public async Task<NodeInfo> RegisterAsync(NodeRegistration registration, CancellationToken ct)
    {
        using var timeout = Timeout(ct);
        using var response = await http.PutAsync(NodePath, JsonBody(registration), timeout.Token);
        await EnsureSuccessAsync(response, "register", timeout.Token);
        return await response.Content.ReadFromJsonAsync<NodeInfo>(Json.Options, timeout.Token) ?? new NodeInfo();
    }

    /// <summary>Every node with its address and subnet: what the cluster network routes (GET /api/v1/nodes).</summary>
    public async Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken ct)
    {
        using var timeout = Timeout(ct);
        using var response = await http.GetAsync("api/v1/nodes", timeout.Token);
        await EnsureSuccessAsync(response, "node list", timeout.Token);
        return await response.Content.ReadFromJsonAsync<List<NodeInfo>>(Json.Options, timeout.Token) ?? [];
    }

    /// <summary>Every service's virtual IP, ports and endpoints (GET /api/v1/endpoints).</summary>
    public async Task<IReadOnlyList<ServiceEndpoints>> ListEndpointsAsync(CancellationToken ct)
    {
        using var timeout = Timeout(ct);
        using var response = await http.GetAsync("api/v1/endpoints", timeout.Token);
        await EnsureSuccessAsync(response, "endpoint list", timeout.Token);
        return await response.Content.ReadFromJsonAsync<List<ServiceEndpoints>>(Json.Options, timeout.Token) ?? [];
    }

    /// <summary>
    /// The cluster network (nodes and endpoints) once its version differs from <paramref name="version"/> (a long poll:
    /// GET /api/v1/nodes/{name}/network; the control plane answers at the next change, or the same view after
    /// <paramref name="wait"/>).
    /// </summary>
    public async Task<NetworkSnapshot> WatchNetworkAsync(string? version, TimeSpan wait, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait + CallTimeout);
        var query = $"wait={(int)wait.TotalSeconds}" + (version is null ? "" : $"&version={Uri.EscapeDataString(version)}");
        using var response = await http.GetAsync($"{NodePath}/network?{query}", timeout.Token);
        await EnsureSuccessAsync(response, "network view", timeout.Token);
        return await response.Content.ReadFromJsonAsync<NetworkSnapshot>(Json.Options, timeout.Token) ?? new NetworkSnapshot();
    }

    /// <summary>False when the control plane does not know the node (404): the agent registers again.</summary>
    public async Task<bool> HeartbeatAsync(NodeHeartbeat heartbeat, CancellationToken ct)
    {
        using var timeout = Timeout(ct);
        using var response = await http.PostAsync($"{NodePath}/heartbeat", JsonBody(heartbeat), timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureSuccessAsync(response, "heartbeat", timeout.Token);
        return true;
    }

    public async Task ReportStatusAsync(NodeStatusReport report, CancellationToken ct)
    {
        using var timeout = Timeout(ct);
        using var response = await http.PostAsync($"{NodePath}/status", JsonBody(report), timeout.Token);
        await EnsureSuccessAsync(response, "status report", timeout.Token);
    }

    /// <summary>
    /// The assignment stream from <paramref name="resourceVersion"/> (null: from a sync), one event per NDJSON line,
    /// until the server ends it, the connection breaks (an exception), or no line arrives within <paramref name="idle"/>
    /// (a dead connection: the server sends bookmarks every few seconds).
    /// </summary>
    public async IAsyncEnumerable<AssignmentEvent> WatchAssignmentsAsync(long? resourceVersion, TimeSpan idle, [EnumeratorCancellation] CancellationToken ct)
    {
        var path = resourceVersion is > 0 ? $"{NodePath}/assignments?resourceVersion={resourceVersion}" : $"{NodePath}/assignments";
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Version = http.DefaultRequestVersion, VersionPolicy = http.DefaultVersionPolicy };
        // The server may hold the headers back until its first line (a bookmark comes within a few seconds),
        // so the short call timeout would cut healthy resumes: wait as long as for any line.
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connect.CancelAfter(idle);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
        await EnsureSuccessAsync(response, "assignment stream", connect.Token);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(body);
        while (true)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(idle);
            string? line;
            try { line = await reader.ReadLineAsync(wait.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"no assignment event for {idle.TotalSeconds:0} s; the connection is taken as dead");
            }
            if (line is null) yield break;
            if (line.Length == 0) continue;
            yield return Json.Deserialize<AssignmentEvent>(line);
        }
    }

    /// <summary>
    /// The values of a secret or config a replica of this node uses (the node-restricted route); null when it does not
    /// exist. The values are handed on to the replica's files and env only: never logged.
    /// </summary>
    public async Task<DeliveredData?> FetchDataAsync(string kind, string ns, string name, CancellationToken ct)
    {
        using var timeout = Timeout(ct);
        using var response = await http.GetAsync($"{NodePath}/{kind}s/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}", timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, $"{kind} {ns}/{name}", timeout.Token);
        return await response.Content.ReadFromJsonAsync<DeliveredData>(Json.Options, timeout.Token);
    }

    /// <summary>A body with a Content-Length (JsonContent streams chunked, which not every server or proxy reads).</summary>
    private static StringContent JsonBody<T>(T value) => new(Json.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    private static CancellationTokenSource Timeout(CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(CallTimeout);
        return cts;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var error = "";
        try { error = (await response.Content.ReadFromJsonAsync<ApiError>(Json.Options, ct))?.Error ?? ""; }
        catch (System.Text.Json.JsonException) { }
        throw new HttpRequestException($"{what}: {(int)response.StatusCode} {response.ReasonPhrase} {error}".TrimEnd(), null, response.StatusCode);
    }
}
