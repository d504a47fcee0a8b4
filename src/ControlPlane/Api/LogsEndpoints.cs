using System.Text;
using System.Threading.Channels;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// GET /api/v1/namespaces/{ns}/services/{name}/logs?replica=&amp;tail=&amp;follow=: the container logs of a service's
/// replicas, fetched from the agents that run them and merged line by line as they arrive (`docker service logs`).
/// With more than one replica every line is prefixed by its replica's name, like "web.2.ab12cd | line".
/// </summary>
public static class LogsEndpoints
{
    public static void MapLogsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/namespaces/{ns}/services/{name}/logs", async (string ns, string name, string? replica, string? tail, string? follow,
            HttpContext http, ClusterStore store, AgentClient agents, ILoggerFactory logs) =>
        {
            var ct = http.RequestAborted;
            if (LogQuery.Parse(tail, follow, out var error) is not { } query) return ApiResults.BadRequest(error);
            if (await store.GetServiceAsync(ns, name, ct) is null) return ApiResults.NotFound($"service \"{ns}/{name}\" not found");
            var replicas = (await store.ListReplicasAsync(ns, name, ct)).OrderBy(r => r.Slot).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
            if (replicas.Count == 0) return ApiResults.NotFound($"service \"{ns}/{name}\" has no replicas");
            if (replica is { Length: > 0 })
            {
                var (chosen, problem) = Choose(replicas, replica, $"{ns}/{name}");
                if (chosen is null) return problem!;
                replicas = [chosen];
            }

            var nodes = (await store.ListNodesAsync(ct)).ToDictionary(n => n.Name);
            var opened = await Task.WhenAll(replicas.Select(r => OpenAsync(r, nodes, query, agents, ct)));
            try
            {
                var failed = opened.Where(o => o.Error is not null).ToList();
                if (failed.Count == opened.Length)
                    return ApiResults.Error(StatusCodes.Status502BadGateway,
                        $"no logs for service \"{ns}/{name}\": " + string.Join("; ", failed.Select(f => $"{f.Replica.ContainerName}: {f.Error}")));
                var response = http.Response;
                response.ContentType = "text/plain; charset=utf-8";
                response.Headers.CacheControl = "no-cache";
                foreach (var f in failed) response.Headers.Append(LogHeaders.Unavailable, Ascii($"{f.Replica.ContainerName}: {f.Error}"));
                await response.StartAsync(ct);
                var width = replicas.Max(r => r.ContainerName.Length);
                var prefixed = replicas.Count > 1;
                await MergeAsync(response, opened.Where(o => o.Answer is not null)
                    .Select(o => (o.Answer!, prefixed ? o.Replica.ContainerName.PadRight(width) + " | " : "", o.Replica.ContainerName)).ToList(),
                    logs.CreateLogger(typeof(LogsEndpoints)), ct);
                return Results.Empty;
            }
            finally
            {
                foreach (var o in opened) o.Answer?.Dispose();
            }
        });

    /// <summary>The replica <paramref name="wanted"/> names, or the 404 or 400 that says why there is not exactly one.</summary>
    private static (Replica? Chosen, IResult? Problem) Choose(List<Replica> replicas, string wanted, string service)
    {
        var matches = Matching(replicas, wanted);
        return matches.Count switch
        {
            1 => (matches[0], null),
            0 => (null, ApiResults.NotFound(
                $"replica \"{wanted}\" of service \"{service}\" not found; its replicas are {string.Join(", ", replicas.Select(r => r.ContainerName))}")),
            _ => (null, ApiResults.BadRequest(
                $"replica \"{wanted}\" of service \"{service}\" is ambiguous: it matches {string.Join(", ", matches.Select(r => r.ContainerName))}")),
        };
    }

    /// <summary>The replicas <paramref name="wanted"/> may mean: the one with that id or container name (web.2.ab12cd), else those whose id or name starts with it.</summary>
    public static List<Replica> Matching(IReadOnlyList<Replica> replicas, string wanted)
    {
        var exact = replicas.Where(r => r.Id == wanted || r.ContainerName == wanted).ToList();
        return exact.Count > 0
            ? exact
            : replicas.Where(r => r.Id.StartsWith(wanted, StringComparison.Ordinal) || r.ContainerName.StartsWith(wanted, StringComparison.Ordinal)).ToList();
    }

    private sealed record Opened(Replica Replica, HttpResponseMessage? Answer, string? Error);

    private static async Task<Opened> OpenAsync(Replica replica, IReadOnlyDictionary<string, NodeInfo> nodes, LogQuery query,
        AgentClient agents, CancellationToken ct)
    {
        if (!nodes.TryGetValue(replica.Node, out var node)) return new Opened(replica, null, $"its node {replica.Node} is not registered");
        try
        {
            return new Opened(replica, await agents.OpenLogsAsync(node, replica.Id, query, ct), null);
        }
        catch (AgentCallException e)
        {
            return new Opened(replica, null, e.Message);
        }
    }

    /// <summary>
    /// Copies every stream's lines, prefixed, into the answer as they come; a batch is flushed whenever nothing more is
    /// waiting, so a follow shows each line at once and a long tail is not flushed line by line.
    /// </summary>
    private static async Task MergeAsync(HttpResponse response, List<(HttpResponseMessage Answer, string Prefix, string Name)> streams,
        ILogger log, CancellationToken ct)
    {
        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { SingleReader = true });
        var readers = streams.Select(s => Task.Run(() => ReadAsync(s.Answer, s.Prefix, s.Name, lines.Writer, log, ct), ct)).ToArray();
        _ = Task.WhenAll(readers).ContinueWith(_ => lines.Writer.TryComplete(), TaskScheduler.Default);
        var batch = new StringBuilder();
        try
        {
            while (await lines.Reader.WaitToReadAsync(ct))
            {
                while (batch.Length < 64 * 1024 && lines.Reader.TryRead(out var line)) batch.Append(line).Append('\n');
                await response.WriteAsync(batch.ToString(), ct);
                await response.Body.FlushAsync(ct);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client left (the end of every follow)
        }
        await Task.WhenAll(readers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private static async Task ReadAsync(HttpResponseMessage answer, string prefix, string name, ChannelWriter<string> lines, ILogger log, CancellationToken ct)
    {
        try
        {
            await using var body = await answer.Content.ReadAsStreamAsync(ct);
            using var reader = new StreamReader(body, Encoding.UTF8);
            while (await reader.ReadLineAsync(ct) is { } line) await lines.WriteAsync(prefix + line, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            log.LogWarning("the log stream of replica {Replica} broke: {Message}", name, e.Message);
        }
    }

    /// <summary>Header values must be ASCII; anything else becomes '?'.</summary>
    private static string Ascii(string text) => new(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
