using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Threading.Channels;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Tests.Fakes;

/// <summary>
/// The agents' half of docs/api.md in memory, as an HttpMessageHandler: registrations, heartbeats and status reports
/// are recorded; every assignment watch becomes an <see cref="AssignmentConnection"/> the test writes lines to.
/// <see cref="Down"/> makes every call fail like a refused connection.
/// </summary>
public sealed class FakeControlPlane : HttpMessageHandler
{
    private readonly Channel<AssignmentConnection> _connections = Channel.CreateUnbounded<AssignmentConnection>();

    public volatile bool Down;
    /// <summary>When set, heartbeats answer 404 (the control plane lost the node) until the next registration.</summary>
    public volatile bool ForgetNode;

    /// <summary>When set, registrations answer 500 (a control plane overwhelmed); each attempt is counted.</summary>
    public volatile bool RegistrationFails;
    public int RegistrationAttempts => _registrationAttempts;
    private int _registrationAttempts;

    public ConcurrentQueue<NodeRegistration> Registrations { get; } = new();
    public ConcurrentQueue<NodeHeartbeat> Heartbeats { get; } = new();
    public ConcurrentQueue<NodeStatusReport> Reports { get; } = new();

    public HttpClient Client() => new(this) { BaseAddress = new Uri("http://control-plane/"), Timeout = Timeout.InfiniteTimeSpan };

    public async Task<AssignmentConnection> NextConnectionAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _connections.Reader.ReadAsync(cts.Token);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (Down) throw new HttpRequestException("Connection refused (control-plane:80)");
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Put)
        {
            Interlocked.Increment(ref _registrationAttempts);
            if (RegistrationFails)
                return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = JsonContent.Create(new ApiError { Error = "internal error" }, options: Json.Options) };
            Registrations.Enqueue((await request.Content!.ReadFromJsonAsync<NodeRegistration>(Json.Options, ct))!);
            ForgetNode = false;
            return JsonAnswer(new NodeInfo { Name = path.Split('/')[^1] });
        }
        if (path.EndsWith("/heartbeat", StringComparison.Ordinal))
        {
            if (ForgetNode) return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = JsonContent.Create(new ApiError { Error = "node not found" }, options: Json.Options) };
            Heartbeats.Enqueue((await request.Content!.ReadFromJsonAsync<NodeHeartbeat>(Json.Options, ct))!);
            return JsonAnswer(new NodeInfo());
        }
        if (path.EndsWith("/status", StringComparison.Ordinal))
        {
            Reports.Enqueue((await request.Content!.ReadFromJsonAsync<NodeStatusReport>(Json.Options, ct))!);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }
        if (path.EndsWith("/assignments", StringComparison.Ordinal))
        {
            var connection = new AssignmentConnection(request.RequestUri.Query, ct);
            await _connections.Writer.WriteAsync(connection, ct);
            var content = new StreamContent(connection.Body);
            content.Headers.ContentType = new("application/x-ndjson");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }
        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private static HttpResponseMessage JsonAnswer<T>(T value) => new(HttpStatusCode.OK) { Content = JsonContent.Create(value, options: Json.Options) };
}

/// <summary>One open assignment stream: the test sends events as NDJSON lines and closes it to simulate a disconnect.</summary>
public sealed class AssignmentConnection
{
    private readonly Pipe _pipe = new();

    public AssignmentConnection(string query, CancellationToken requestAborted)
    {
        Query = query;
        requestAborted.Register(() => _pipe.Writer.Complete());
    }

    /// <summary>"" when the agent asked for a sync, "?resourceVersion=R" when it resumed.</summary>
    public string Query { get; }
    public Stream Body => _pipe.Reader.AsStream();

    public async Task SendAsync(AssignmentEvent e)
    {
        await _pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(Json.Serialize(e) + "\n"));
    }

    public Task SyncAsync(long revision, params Replica[] replicas) =>
        SendAsync(new AssignmentEvent { Type = AssignmentEventType.Sync, Revision = revision, Replicas = replicas.ToList() });

    public void Close() => _pipe.Writer.Complete();
}
