using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.Orc;

/// <summary>
/// The control plane's HTTP API (docs/api.md) as the CLI uses it. Every failure comes out as a
/// <see cref="CliException"/> that names what went wrong, so commands never deal with status codes.
/// </summary>
public sealed class OrcApi(HttpClient http, IReadOnlyList<Uri> servers)
{
    public OrcApi(HttpClient http, Uri server) : this(http, [server]) { }

    private int _current;
    private Uri Current => servers[_current];

    /// <summary>The address in use as the user wrote it, for messages.</summary>
    public string Server => Current.OriginalString.TrimEnd('/');

    /// <summary>Every address given, for a message that none answered.</summary>
    private string AllServers => string.Join(", ", servers.Select(s => s.OriginalString.TrimEnd('/')));

    public Task<ApplyResponse> ApplyAsync(ApplyRequest request, CancellationToken ct) =>
        SendAsync<ApplyResponse>(HttpMethod.Post, "/api/v1/apply", request, notFound: null, ct);

    public Task<ApplyResponse> DeleteAsync(ApplyRequest request, CancellationToken ct) =>
        SendAsync<ApplyResponse>(HttpMethod.Post, "/api/v1/delete", request, notFound: null, ct);

    public Task<ReleaseResponse> WriteReleaseAsync(string ns, string name, ReleaseRequest request, CancellationToken ct) =>
        SendAsync<ReleaseResponse>(HttpMethod.Post, ReleasePath(ns, name), request, ReleaseNotFound(ns, name), ct);

    public Task<ReleaseResponse> RollBackReleaseAsync(string ns, string name, long toRevision, CancellationToken ct) =>
        SendAsync<ReleaseResponse>(HttpMethod.Post, ReleasePath(ns, name) + "/rollback", new ReleaseRollbackRequest { ToRevision = toRevision },
            ReleaseNotFound(ns, name), ct);

    public Task<ReleaseResponse> UninstallReleaseAsync(string ns, string name, CancellationToken ct) =>
        SendAsync<ReleaseResponse>(HttpMethod.Delete, ReleasePath(ns, name), null, ReleaseNotFound(ns, name), ct);

    public Task<List<ReleaseSummary>> ListReleasesAsync(string? ns, CancellationToken ct) =>
        SendAsync<List<ReleaseSummary>>(HttpMethod.Get, "/api/v1/releases" + Query(("namespace", ns)), null, null, ct);

    /// <summary>Every kept revision of a release, oldest first, without their files.</summary>
    public Task<List<ReleaseSummary>> ReleaseHistoryAsync(string ns, string name, CancellationToken ct) =>
        SendAsync<List<ReleaseSummary>>(HttpMethod.Get, ReleasePath(ns, name) + "/history", null, ReleaseNotFound(ns, name), ct);

    private static string ReleasePath(string ns, string name) =>
        $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/releases/{Uri.EscapeDataString(name)}";

    private static string ReleaseNotFound(string ns, string name) => $"release \"{ns}/{name}\" not found";

    public Task<List<ServiceView>> ListServicesAsync(string? ns, CancellationToken ct) =>
        SendAsync<List<ServiceView>>(HttpMethod.Get, "/api/v1/services" + Query(("namespace", ns)), null, null, ct);

    public Task<ServiceDetail> GetServiceAsync(string ns, string name, CancellationToken ct) =>
        SendAsync<ServiceDetail>(HttpMethod.Get, ServicePath(ns, name), null, ServiceNotFound(ns, name), ct);

    public Task<ApplyResult> DeleteServiceAsync(string ns, string name, CancellationToken ct) =>
        SendAsync<ApplyResult>(HttpMethod.Delete, ServicePath(ns, name), null, ServiceNotFound(ns, name), ct);

    public Task<ApplyResult> ScaleServiceAsync(string ns, string name, int replicas, CancellationToken ct) =>
        SendAsync<ApplyResult>(HttpMethod.Put, ServicePath(ns, name) + "/scale", new ScaleRequest { Replicas = replicas },
            ServiceNotFound(ns, name), ct);

    /// <summary>The whole cluster in one read (GET /api/v1/overview): nodes with what they hold, services, newest events.</summary>
    public Task<ClusterOverview> OverviewAsync(CancellationToken ct) =>
        SendAsync<ClusterOverview>(HttpMethod.Get, "/api/v1/overview", null, null, ct);

    public Task<ServerVersion> VersionAsync(CancellationToken ct) =>
        SendAsync<ServerVersion>(HttpMethod.Get, "/api/v1/version", null, null, ct);

    /// <summary>Services' virtual IPs and endpoints; one service by name (in <paramref name="ns"/>, or any namespace).</summary>
    public Task<List<ServiceEndpoints>> ListEndpointsAsync(string? ns, string? service, CancellationToken ct)
    {
        var query = new List<string>();
        if (ns is not null) query.Add("namespace=" + Uri.EscapeDataString(ns));
        if (service is not null) query.Add("service=" + Uri.EscapeDataString(service));
        return SendAsync<List<ServiceEndpoints>>(HttpMethod.Get, "/api/v1/endpoints" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), null,
            service is null ? null : $"service \"{service}\" not found", ct);
    }

    public Task<List<NodeInfo>> ListNodesAsync(CancellationToken ct) =>
        SendAsync<List<NodeInfo>>(HttpMethod.Get, "/api/v1/nodes", null, null, ct);

    public Task<NodeInfo> GetNodeAsync(string name, CancellationToken ct) =>
        SendAsync<NodeInfo>(HttpMethod.Get, "/api/v1/nodes/" + Uri.EscapeDataString(name), null, $"node \"{name}\" not found", ct);

    public Task<List<ReplicaView>> ListReplicasAsync(string? ns, string? service, CancellationToken ct, string? node = null) =>
        SendAsync<List<ReplicaView>>(HttpMethod.Get, "/api/v1/replicas" + Query(("namespace", ns), ("service", service), ("node", node)), null, null, ct);

    public Task<VolumeList> ListVolumesAsync(string? ns, CancellationToken ct) =>
        SendAsync<VolumeList>(HttpMethod.Get, "/api/v1/volumes" + Query(("namespace", ns)), null, null, ct);

    public Task<VolumeRemoval> RemoveVolumeAsync(string name, CancellationToken ct) =>
        SendAsync<VolumeRemoval>(HttpMethod.Delete, $"/api/v1/volumes/{Uri.EscapeDataString(name)}", null, $"volume \"{name}\" not found", ct);

    public Task<List<DataObjectView>> ListSecretsAsync(string? ns, CancellationToken ct) =>
        SendAsync<List<DataObjectView>>(HttpMethod.Get, "/api/v1/secrets" + Query(("namespace", ns)), null, null, ct);

    public Task<DataObjectView> GetSecretAsync(string ns, string name, CancellationToken ct) =>
        SendAsync<DataObjectView>(HttpMethod.Get, ObjectPath(ns, "secrets", name), null, $"secret \"{ns}/{name}\" not found", ct);

    public Task<ApplyResult> DeleteSecretAsync(string ns, string name, CancellationToken ct) =>
        SendAsync<ApplyResult>(HttpMethod.Delete, ObjectPath(ns, "secrets", name), null, $"secret \"{ns}/{name}\" not found", ct);

    public Task<KeyRotation> RotateSecretsKeyAsync(CancellationToken ct) =>
        SendAsync<KeyRotation>(HttpMethod.Post, "/api/v1/secrets/rotate-key", null, null, ct);

    public Task<List<DataObjectView>> ListConfigsAsync(string? ns, CancellationToken ct) =>
        SendAsync<List<DataObjectView>>(HttpMethod.Get, "/api/v1/configs" + Query(("namespace", ns)), null, null, ct);

    public Task<ConfigObject> GetConfigAsync(string ns, string name, CancellationToken ct) =>
        SendAsync<ConfigObject>(HttpMethod.Get, ObjectPath(ns, "configs", name), null, $"config \"{ns}/{name}\" not found", ct);

    public Task<ApplyResult> DeleteConfigAsync(string ns, string name, CancellationToken ct) =>
        SendAsync<ApplyResult>(HttpMethod.Delete, ObjectPath(ns, "configs", name), null, $"config \"{ns}/{name}\" not found", ct);

    private static string ObjectPath(string ns, string plural, string name) =>
        $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/{plural}/{Uri.EscapeDataString(name)}";

    public Task<List<ServiceRevision>> ListRevisionsAsync(string ns, string name, CancellationToken ct) =>
        SendAsync<List<ServiceRevision>>(HttpMethod.Get, ServicePath(ns, name) + "/revisions", null, ServiceNotFound(ns, name), ct);

    /// <summary>pause or resume.</summary>
    public Task<RolloutStatus> SetRolloutPausedAsync(string ns, string name, bool paused, CancellationToken ct) =>
        SendAsync<RolloutStatus>(HttpMethod.Put, ServicePath(ns, name) + (paused ? "/rollout/pause" : "/rollout/resume"), null, ServiceNotFound(ns, name), ct);

    public Task<UndoResponse> UndoRolloutAsync(string ns, string name, long? toRevision, CancellationToken ct) =>
        SendAsync<UndoResponse>(HttpMethod.Post, ServicePath(ns, name) + "/rollout/undo", new UndoRequest { ToRevision = toRevision }, ServiceNotFound(ns, name), ct);

    /// <summary>Every event, or those of one namespace or service, oldest first.</summary>
    public Task<List<ClusterEvent>> ListEventsAsync(string? ns, string? service, CancellationToken ct) =>
        SendAsync<List<ClusterEvent>>(HttpMethod.Get, "/api/v1/events" + Query(("namespace", ns), ("service", service)), null, null, ct);

    /// <summary>cordon, uncordon or drain.</summary>
    public Task<NodeInfo> SetNodeSchedulingAsync(string name, string verb, CancellationToken ct) =>
        SendAsync<NodeInfo>(HttpMethod.Put, $"/api/v1/nodes/{Uri.EscapeDataString(name)}/{verb}", null, $"node \"{name}\" not found", ct);

    /// <summary>The running containers the agents report, of one namespace and service (GET /api/v1/containers).</summary>
    public Task<RunningContainers> RunningContainersAsync(string ns, string service, CancellationToken ct) =>
        SendAsync<RunningContainers>(HttpMethod.Get, "/api/v1/containers" + Query(("namespace", ns), ("service", service)), null, null, ct);

    /// <summary>Cpu and memory in use per node (GET /api/v1/top/nodes).</summary>
    public Task<TopNodes> TopNodesAsync(CancellationToken ct) =>
        SendAsync<TopNodes>(HttpMethod.Get, "/api/v1/top/nodes", null, null, ct);

    /// <summary>Cpu and memory in use per service (GET /api/v1/top/services).</summary>
    public Task<TopServices> TopServicesAsync(string? ns, CancellationToken ct) =>
        SendAsync<TopServices>(HttpMethod.Get, "/api/v1/top/services" + Query(("namespace", ns)), null, null, ct);

    /// <summary>
    /// Writes a service's log lines to <paramref name="output"/> as they arrive, until the server ends the answer (with
    /// follow, until <paramref name="ct"/> fires). First hands <paramref name="unavailable"/> each replica whose logs the
    /// server could not fetch; returns how many there were.
    /// </summary>
    public async Task<int> StreamLogsAsync(string ns, string name, string? replica, LogQuery query,
        TextWriter output, Action<string> unavailable, CancellationToken ct)
    {
        var path = ServicePath(ns, name) + "/logs" + Query(("replica", replica),
            ("tail", query.Tail?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("follow", query.Follow ? "true" : null));
        // The server's own message tells an unknown service from an unknown replica: no notFound text of ours.
        using var response = await SendRawAsync(HttpMethod.Get, path, null, null, HttpCompletionOption.ResponseHeadersRead, ct);
        var missing = response.Headers.TryGetValues(LogHeaders.Unavailable, out var values) ? values.ToList() : [];
        foreach (var m in missing) unavailable(m);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(body, Encoding.UTF8);
        try
        {
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                await output.WriteLineAsync(line);
                await output.FlushAsync(ct);
            }
        }
        catch (IOException e) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"the log stream from {Server} broke: {e.Message}", inner: e);
        }
        return missing.Count;
    }

    /// <summary>
    /// Follows GET /api/v1/watch/{kind} (services or replicas), handing each event to <paramref name="onEvent"/> as it
    /// arrives, until the server ends the answer or <paramref name="ct"/> fires.
    /// </summary>
    public async Task WatchAsync(string kind, string? ns, string? service, Action<ObjectWatchEvent> onEvent, CancellationToken ct)
    {
        var path = $"/api/v1/watch/{kind}" + Query(("namespace", ns), ("service", service));
        using var response = await SendRawAsync(HttpMethod.Get, path, null, null, HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(body, Encoding.UTF8);
        try
        {
            while (await reader.ReadLineAsync(ct) is { } line)
                if (line.Length > 0) onEvent(ReadBody<ObjectWatchEvent>(line, HttpMethod.Get, path));
        }
        catch (IOException e) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"the watch from {Server} broke: {e.Message}", inner: e);
        }
        throw new CliException($"the control plane at {Server} ended the watch (did it restart?)");
    }

    public Task<IssuedToken> CreateTokenAsync(string role, string? ttl, CancellationToken ct) =>
        SendAsync<IssuedToken>(HttpMethod.Post, "/api/v1/tokens", new TokenRequest { Role = role, Ttl = ttl }, null, ct);

    public Task<List<TokenView>> ListTokensAsync(CancellationToken ct) =>
        SendAsync<List<TokenView>>(HttpMethod.Get, "/api/v1/tokens", null, null, ct);

    public async Task RevokeTokenAsync(string id, CancellationToken ct) =>
        (await SendRawAsync(HttpMethod.Delete, "/api/v1/tokens/" + Uri.EscapeDataString(id), null, $"token \"{id}\" not found",
            HttpCompletionOption.ResponseContentRead, ct)).Dispose();

    /// <summary>orc node rm: the node's record and its credential.</summary>
    public async Task RemoveNodeAsync(string name, CancellationToken ct) =>
        (await SendRawAsync(HttpMethod.Delete, "/api/v1/nodes/" + Uri.EscapeDataString(name), null, $"node \"{name}\" not found",
            HttpCompletionOption.ResponseContentRead, ct)).Dispose();

    private static string ServicePath(string ns, string name) =>
        $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/services/{Uri.EscapeDataString(name)}";

    private static string ServiceNotFound(string ns, string name) => $"service \"{ns}/{name}\" not found";

    private static string Query(params (string Key, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? notFound, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, notFound, HttpCompletionOption.ResponseContentRead, ct);
        return ReadBody<T>(await response.Content.ReadAsStringAsync(ct), method, path);
    }

    /// <summary>The answer when it is a success (its body may still be streaming in); every failure as a <see cref="CliException"/>.</summary>
    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, string? notFound,
        HttpCompletionOption completion, CancellationToken ct)
    {
        HttpResponseMessage response;
        // A control plane that refuses the connection or says it is stopping (503, before it did anything) is left for
        // the next one given; so the same request is safe to send again. One that does not answer in time is not.
        for (var tried = 1; ; tried++)
        {
            using var request = new HttpRequestMessage(method, new Uri(Current, path));
            if (body is not null)
                request.Content = new StringContent(JsonSerializer.Serialize(body, Json.Options), Encoding.UTF8, "application/json");
            try
            {
                response = await http.SendAsync(request, completion, ct);
            }
            catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
            {
                throw new CliException($"the control plane at {Server} has a TLS certificate orc does not trust: give the cluster CA "
                    + $"(the control plane's DATA_DIR/ca.crt) with --ca-file, {ClusterCaFile.Variable}, or \"ca\" in ~/.orc/config.json", inner: e);
            }
            catch (HttpRequestException e) when (IsUnreachable(e))
            {
                if (tried < servers.Count) { _current = (_current + 1) % servers.Count; continue; }
                throw new CliException(servers.Count == 1
                    ? $"cannot reach the control plane at {Server} (is it running? see ./up.sh)"
                    : $"cannot reach any control plane ({AllServers})", inner: e);
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new CliException($"the control plane at {Server} did not answer in time", inner: e);
            }
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || tried >= servers.Count) break;
            response.Dispose();
            _current = (_current + 1) % servers.Count;
        }

        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == HttpStatusCode.NotFound && notFound is not null) throw new CliException(notFound);
            throw ErrorFrom(response.StatusCode, text, method, path);
        }
    }

    /// <summary>Refused, unresolvable or dropped connections all mean the same to a user: nothing is listening there.</summary>
    private static bool IsUnreachable(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || e.InnerException is SocketException;

    private T ReadBody<T>(string text, HttpMethod method, string path)
    {
        try
        {
            return Json.Deserialize<T>(text);
        }
        catch (JsonException e)
        {
            throw new CliException($"{method} {path} at {Server} answered with a body orc cannot read ({e.Message}); is that the control plane?", inner: e);
        }
    }

    /// <summary>The API promises an ApiError body; a proxy or a crash may still answer with something else.</summary>
    private static CliException ErrorFrom(HttpStatusCode status, string text, HttpMethod method, string path)
    {
        ApiError? error = null;
        try { error = Json.Deserialize<ApiError>(text); }
        catch (JsonException) { }
        var message = string.IsNullOrWhiteSpace(error?.Error) ? $"{method} {path} failed with {(int)status} {status}" : error.Error;
        // 401: no token or one the control plane does not know; say where a token goes.
        if (status == HttpStatusCode.Unauthorized) message += "; " + ClientToken.Where;
        return new CliException(message, error?.Details);
    }
}
