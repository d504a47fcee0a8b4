using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using OpenTelemetry.Trace;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.EndToEnd.Infrastructure;
using Orchestrator.NodeAgent.Hosting;
using Orchestrator.NodeAgent.Reconcile;
using DockerEngine = Orchestrator.EndToEnd.Infrastructure.Docker;

namespace Orchestrator.EndToEnd;

/// <summary>
/// One trace from the apply to the container: the control plane and the agent run in this process (on a real etcd
/// and the real Docker engine) with in-memory exporters, and the spans of the API request, the grains, the
/// scheduler, the assignment stream and the agent's container create must all carry the apply's trace id.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TraceTests : IAsyncLifetime
{
    private readonly string _runId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _workDir;
    private readonly EtcdServer _etcd;
    private readonly string _apiUrl = $"https://127.0.0.1:{Ports.Free()}";
    private readonly string _agentUrl = $"https://127.0.0.1:{Ports.Free()}";
    private readonly SpanList _spans = new();
    private readonly DockerEngine _docker = new();
    private readonly HttpClient _http;
    private readonly ClusterTls _tls;
    private WebApplication? _controlPlane;
    private WebApplication? _agent;

    public TraceTests()
    {
        _workDir = Path.Combine(Path.GetTempPath(), "orchestrator-" + _runId);
        Directory.CreateDirectory(_workDir);
        _etcd = new EtcdServer(_runId, _workDir);
        _tls = new ClusterTls(_workDir);
        _http = _tls.ApiClient(_apiUrl);
    }

    public async Task InitializeAsync()
    {
        await _docker.RequireEngineAsync();
        await _etcd.StartAsync();
        _controlPlane = ControlPlaneHost.Build(
        [
            "--urls", _apiUrl, "--etcd", _etcd.Url, "--cluster-id", _runId,
            "--silo-port", Ports.Free().ToString(), "--gateway-port", Ports.Free().ToString(),
            .. Credentials.ControlPlaneArgs(_runId, Path.Combine(_workDir, "controlplane.data")),
            .. _tls.ControlPlaneArgs,
        ], t => t.AddInMemoryExporter(_spans));
        await _controlPlane.StartAsync();
        await Wait.UntilAsync(async () =>
        {
            try { return (await _http.GetAsync("/readyz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(60), "the in-process control plane to be ready");
        Credentials.Started(_apiUrl, _runId, _http, _tls);

        _agent = AgentHost.Build(["--api", _apiUrl, "--node-name", _runId, "--cluster", _runId, "--listen", _agentUrl, .. _tls.AgentArgs,
                .. await Credentials.AgentArgsAsync(_apiUrl, Path.Combine(_workDir, "agent-state"))],
            t => t.AddInMemoryExporter(_spans));
        await _agent.StartAsync();
        await Wait.UntilAsync(async () =>
        {
            var nodes = await _http.GetFromJsonAsync<List<NodeInfo>>("/api/v1/nodes", Json.Options);
            return nodes?.Any(n => n.Name == _runId) == true;
        }, TimeSpan.FromSeconds(30), "the in-process agent to register");
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _agent, _controlPlane })
        {
            if (app is null) continue;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await app.StopAsync(stop.Token); } catch (OperationCanceledException) { /* disposed below either way */ }
            await app.DisposeAsync();
        }
        _etcd.Stop();
        await _docker.RemoveClusterContainersAsync(_runId);
        _http.Dispose();
    }

    [Fact]
    public async Task The_apply_trace_reaches_the_agents_container_create()
    {
        // The caller's own span, as `orc apply` would have: the request carries its traceparent.
        using var caller = new Activity("orc apply").SetIdFormat(ActivityIdFormat.W3C).Start();
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded; // sampled: the servers' parent-based samplers record what follows
        var traceId = caller.TraceId;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/apply")
        {
            Content = JsonContent.Create(new ApplyRequest
            {
                Files = [new ManifestFile { Name = "traced.yaml", Content = SleepService.Yaml("traced", 1) }],
            }, options: Json.Options),
        };
        var response = await _http.SendAsync(request);
        caller.Stop();
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        await Wait.UntilAsync(async () => (await _docker.ContainersAsync(_runId, "default/traced", runningOnly: true)).Count == 1,
            TimeSpan.FromSeconds(30), "the traced replica's container to run");
        try
        {
            await Wait.UntilAsync(() => Task.FromResult(InTrace(traceId).Any(s => s.DisplayName == "create container")),
                TimeSpan.FromSeconds(10), "the agent's create span to be exported");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; spans of the trace: {Describe(InTrace(traceId))}; every span: {Describe(_spans.Snapshot())}", e);
        }

        var trace = InTrace(traceId);
        var names = Describe(trace);
        Activity Span(string what, Func<Activity, bool> match) =>
            trace.FirstOrDefault(match) ?? throw new Xunit.Sdk.XunitException($"no {what} span in the apply's trace: {names}");
        var server = Span("API request", s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/api/v1/apply"));
        var apply = Span("apply", s => s.DisplayName == "Apply");
        var reconcile = Span("grain", s => s.DisplayName == "ServiceGrain.Reconcile");
        var placement = Span("scheduler", s => s.DisplayName == "PlacementGrain.Place");
        var send = Span("assignment stream", s => s.DisplayName == "AssignmentStream.Send");
        var create = Span("agent create", s => s.DisplayName == "create container");

        // One chain: request -> apply -> grain -> scheduler, whose span id travels in the replica to the stream and the agent.
        Assert.Equal(server.SpanId, apply.ParentSpanId);
        Assert.Equal(apply.SpanId, reconcile.ParentSpanId);
        Assert.Equal(reconcile.SpanId, placement.ParentSpanId);
        Assert.Equal(placement.SpanId, send.ParentSpanId);
        Assert.Equal(placement.SpanId, create.ParentSpanId);
        Assert.Equal(AgentInstruments.Name, create.Source.Name);
        Assert.NotEqual(ActivityStatusCode.Error, create.Status);
    }

    private static string Describe(IEnumerable<Activity> spans) =>
        string.Join(", ", spans.Select(s => $"{s.Source.Name}:{s.DisplayName}:{s.TraceId.ToHexString()[..6]}").Distinct());

    private IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => _spans.Snapshot().Where(s => s.TraceId == traceId).ToList();
}
