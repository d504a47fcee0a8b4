using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>
/// A control plane that expects an exact sequence of requests and answers each with canned JSON.
/// A request it does not expect fails the test with what was sent, so a wrong path or body is easy to see.
/// </summary>
public sealed class FakeApi : HttpMessageHandler
{
    private readonly Queue<Exchange> expected = new();
    public List<(HttpMethod Method, Uri Uri, string? Body)> Received { get; } = [];

    private sealed record Exchange(HttpMethod Method, string PathAndQuery, HttpStatusCode Status, string Answer, string? Body,
        string MediaType = "application/json", IReadOnlyList<(string Name, string Value)>? Headers = null);

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

    public FakeApi ExpectError(HttpMethod method, string pathAndQuery, HttpStatusCode status, string error, params ValidationError[] details) =>
        Expect(method, pathAndQuery, new ApiError { Error = error, Details = [.. details] }, status);

    public void AssertAllAnswered() => Assert.Empty(expected);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
        var path = request.RequestUri!.PathAndQuery;
        Received.Add((request.Method, request.RequestUri, body));
        Assert.True(expected.Count > 0, $"unexpected request {request.Method} {path} {body}");
        var next = expected.Dequeue();
        Assert.Equal($"{next.Method} {next.PathAndQuery}", $"{request.Method} {path}");
        if (next.Body is not null)
        {
            Assert.Equal("application/json", request.Content!.Headers.ContentType?.MediaType);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(next.Body), JsonNode.Parse(body!)), $"body {body}\nwanted {next.Body}");
        }
        var response = new HttpResponseMessage(next.Status) { Content = new StringContent(next.Answer, Encoding.UTF8, next.MediaType) };
        foreach (var (name, value) in next.Headers ?? []) response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }
}

/// <summary>A control plane that is not there: the connection is refused, as when nothing listens on the port.</summary>
public sealed class RefusingHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
        throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:7070)");
}
