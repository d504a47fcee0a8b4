using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>
/// A control plane that expects an exact sequence of requests and answers each with canned JSON.
/// A request it does not expect, or one with a wrong path or body, is recorded as a mismatch (and refused): an
/// assertion thrown here would reach the CLI's catch-all and become a mere exit code 1. <see cref="Orc.RunAsync(HttpMessageHandler, string[])"/>
/// calls <see cref="AssertAllAnswered"/> after every command, so a test fails on any mismatch and on any expected
/// request that was never made.
/// </summary>
public sealed class FakeApi : HttpMessageHandler
{
    private readonly Queue<Exchange> expected = new();
    private readonly List<string> mismatches = [];
    public List<(HttpMethod Method, Uri Uri, string? Body)> Received { get; } = [];
    /// <summary>The Authorization header of each request received, in order (null: none).</summary>
    public List<string?> Authorizations { get; } = [];

    private sealed record Exchange(HttpMethod Method, string PathAndQuery, HttpStatusCode Status, string Answer, string? Body,
        string MediaType = "application/json", IReadOnlyList<(string Name, string Value)>? Headers = null)
    {
        public Func<System.Net.WebSockets.WebSocket, Task>? Server { get; init; }
    }

    /// <summary>Expects the request; when <paramref name="body"/> is given the request body must be that object in wire JSON.</summary>
    public FakeApi Expect(HttpMethod method, string pathAndQuery, object? answer, HttpStatusCode status = HttpStatusCode.OK, object? body = null)
    {
        var json = answer as string ?? Json.Serialize(answer);
        expected.Enqueue(new Exchange(method, pathAndQuery, status, json, body is null ? null : Json.Serialize(body)));
        return this;
    }

    /// <summary>Expects a GET answered 200 with <paramref name="text"/> as text/plain, and these extra headers.</summary>
    public FakeApi ExpectText(string pathAndQuery, string text, params (string Name, string Value)[] headers)
    {
        expected.Enqueue(new Exchange(HttpMethod.Get, pathAndQuery, HttpStatusCode.OK, text, null, "text/plain", headers));
        return this;
    }

    /// <summary>
    /// Expects a WebSocket upgrade of GET <paramref name="pathAndQuery"/>, answered 101; <paramref name="server"/> then plays the
    /// control plane's side on a real socket (a loopback TCP pair), as Kestrel would.
    /// </summary>
    public FakeApi ExpectWebSocket(string pathAndQuery, Func<System.Net.WebSockets.WebSocket, Task> server)
    {
        expected.Enqueue(new Exchange(HttpMethod.Get, pathAndQuery, HttpStatusCode.SwitchingProtocols, "", null) { Server = server });
        return this;
    }

    /// <summary>What the WebSocket servers of <see cref="ExpectWebSocket"/> ended with (a failed assertion in one shows here).</summary>
    public List<Task> WebSocketServers { get; } = [];

    public FakeApi ExpectError(HttpMethod method, string pathAndQuery, HttpStatusCode status, string error, params ValidationError[] details) =>
        Expect(method, pathAndQuery, new ApiError { Error = error, Details = [.. details] }, status);

    /// <summary>
    /// The fake answers several runs of `orc` in turn: after each run only mismatches fail it; the test itself calls
    /// <see cref="AssertAllAnswered"/> after the last run.
    /// </summary>
    public bool SpansRuns { get; private set; }

    public FakeApi AcrossRuns()
    {
        SpansRuns = true;
        return this;
    }

    /// <summary>Fails with every mismatch seen so far (an unexpected or a wrong request).</summary>
    public void AssertNoMismatch() =>
        Assert.True(mismatches.Count == 0, "the fake control plane saw:\n" + string.Join('\n', mismatches));

    /// <summary>Fails with every mismatch seen and every expected request that was never made.</summary>
    public void AssertAllAnswered()
    {
        var problems = mismatches.Concat(expected.Select(e => $"expected request never made: {e.Method} {e.PathAndQuery}")).ToList();
        Assert.True(problems.Count == 0, "the fake control plane saw:\n" + string.Join('\n', problems));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
        var path = request.RequestUri!.PathAndQuery;
        Received.Add((request.Method, request.RequestUri, body));
        Authorizations.Add(request.Headers.Authorization?.ToString());
        if (expected.Count == 0) return Mismatch($"unexpected request {request.Method} {path} {body}");
        var next = expected.Dequeue();
        if ($"{next.Method} {next.PathAndQuery}" != $"{request.Method} {path}")
            return Mismatch($"request {request.Method} {path}, wanted {next.Method} {next.PathAndQuery}");
        if (next.Body is not null)
        {
            if (request.Content?.Headers.ContentType?.MediaType != "application/json")
                return Mismatch($"{request.Method} {path} sent {request.Content?.Headers.ContentType?.MediaType ?? "no content"}, wanted application/json");
            if (!JsonNode.DeepEquals(JsonNode.Parse(next.Body), body is null ? null : JsonNode.Parse(body)))
                return Mismatch($"{request.Method} {path} body {body}\nwanted {next.Body}");
        }
        if (next.Server is not null) return await UpgradeAsync(request, next.Server, ct);
        var response = new HttpResponseMessage(next.Status) { Content = new StringContent(next.Answer, Encoding.UTF8, next.MediaType) };
        foreach (var (name, value) in next.Headers ?? []) response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    private async Task<HttpResponseMessage> UpgradeAsync(HttpRequestMessage request, Func<System.Net.WebSockets.WebSocket, Task> server, CancellationToken ct)
    {
        var key = request.Headers.GetValues("Sec-WebSocket-Key").Single();
        var accept = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, ct);
        var accepted = await listener.AcceptTcpClientAsync(ct);
        WebSocketServers.Add(Task.Run(async () =>
        {
            using (accepted)
            using (var socket = System.Net.WebSockets.WebSocket.CreateFromStream(accepted.GetStream(), isServer: true, null, TimeSpan.Zero))
                await server(socket);
        }, CancellationToken.None));
        var response = new HttpResponseMessage(HttpStatusCode.SwitchingProtocols) { Content = new DuplexContent(client.GetStream()) };
        response.Headers.Connection.Add("Upgrade");
        response.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        response.Headers.Add("Sec-WebSocket-Accept", accept);
        return response;
    }

    /// <summary>The connection itself as the body of the 101, readable and writable as a hijacked connection is.</summary>
    private sealed class DuplexContent(Stream connection) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => connection.CopyToAsync(stream);
        protected override bool TryComputeLength(out long length) { length = 0; return false; }
        protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => connection;
        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(connection);
    }

    /// <summary>Records the mismatch for <see cref="AssertAllAnswered"/> and refuses the request, as an absent server would.</summary>
    private HttpResponseMessage Mismatch(string what)
    {
        mismatches.Add(what);
        throw new HttpRequestException(HttpRequestError.ConnectionError, "FakeApi: " + what);
    }
}

/// <summary>A control plane that is not there: the connection is refused, as when nothing listens on the port.</summary>
public sealed class RefusingHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
        throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:7070)");
}
