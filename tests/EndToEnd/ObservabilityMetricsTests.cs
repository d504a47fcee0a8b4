using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// The numbers on /metrics against what Docker really runs: the control plane's replica gauges and the agent's
/// container counters, through an apply, a scale and a container killed behind the orchestrator's back.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ObservabilityMetricsTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private const string Service = "metered";
    private static readonly (string, string)[] OfService = [("namespace", "default"), ("service", Service)];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private HttpClient Http => cluster.AgentHttp;

    private Task<PrometheusText> ControlPlaneMetricsAsync() => PrometheusText.ScrapeAsync(cluster.Http, cluster.ApiUrl + "/metrics");
    private Task<PrometheusText> AgentMetricsAsync() => PrometheusText.ScrapeAsync(Http, cluster.AgentUrl + "/metrics");

    private sealed record Reading(int Docker, double? Desired, double? Running, double? Ready, double? AgentRunning)
    {
        public bool Matches(int desired) => Docker == desired && Desired == desired && Running == desired && Ready == desired && AgentRunning == desired;
    }

    private async Task<Reading> ReadAsync()
    {
        var plane = await ControlPlaneMetricsAsync();
        var agent = await AgentMetricsAsync();
        var docker = (await cluster.RunningContainersAsync($"default/{Service}")).Count;
        return new Reading(docker,
            plane.Value("orchestrator_service_replicas_desired", OfService),
            plane.Value("orchestrator_service_replicas_running", OfService),
            plane.Value("orchestrator_service_replicas_ready", OfService),
            agent.Value("orchestrator_agent_containers_running", OfService));
    }

    /// <summary>Waits until Docker runs <paramref name="desired"/> containers and every gauge says the same.</summary>
    private async Task<Reading> UntilGaugesMatchDockerAsync(int desired, string when)
    {
        Reading last = new(0, null, null, null, null);
        try
        {
            await Wait.UntilAsync(async () => (last = await ReadAsync()).Matches(desired), Timeout, $"{desired} running {when}, on /metrics as in Docker");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last reading {last}", e);
        }
        return last;
    }

    private async Task<double> AgentStartsAndRestartsAsync()
    {
        var agent = await AgentMetricsAsync();
        return (agent.Value("orchestrator_agent_container_starts_total", OfService) ?? 0)
            + (agent.Value("orchestrator_agent_container_restarts_total", OfService) ?? 0);
    }

    [Fact]
    public async Task Replica_gauges_and_agent_counters_follow_what_Docker_runs()
    {
        var apply = await cluster.Orc("apply", "-f", cluster.Manifest("metered.yaml", SleepService.Yaml(Service, 3)));
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var three = await UntilGaugesMatchDockerAsync(3, "after the apply");
        Assert.Equal(new Reading(3, 3, 3, 3, 3), three);
        var plane = await ControlPlaneMetricsAsync();
        Assert.Equal(0, plane.Value("orchestrator_service_replicas_pending", OfService));
        Assert.Equal(1, plane.Value("orchestrator_nodes", ("state", "Ready")));
        Assert.True(plane.Value("orchestrator_scheduling_attempts_total") >= 1, "a placement attempt was counted");
        Assert.True(plane.Value("orchestrator_node_memory_allocated_bytes", ("node", cluster.NodeName)) >= 3 * 16 << 20,
            "the node's allocated memory counts the three 16Mi replicas");
        Assert.True(plane.Value("orchestrator_etcd_request_duration_seconds_count", ("operation", "txn")) >= 1, "etcd transactions were timed");
        Assert.True(plane.Find("http_server_request_duration_seconds_count").Any(s => s.Labels.GetValueOrDefault("http_route") == "/api/v1/apply"),
            "the apply request is on http.server.request.duration");
        // One connection per agent: its heartbeats (like its reports and streams) come over HTTP/2.
        Assert.True(plane.Find("http_server_request_duration_seconds_count").Any(s =>
                s.Labels.GetValueOrDefault("http_route") == "/api/v1/nodes/{name}/heartbeat" && s.Labels.GetValueOrDefault("network_protocol_version") == "2"),
            "the agent's heartbeats come over HTTP/2: " + string.Join(", ", plane.Find("http_server_request_duration_seconds_count")
                .Where(s => s.Labels.GetValueOrDefault("http_route")?.EndsWith("/heartbeat") == true)
                .Select(s => $"{s.Labels.GetValueOrDefault("http_route")} over {s.Labels.GetValueOrDefault("network_protocol_version")}")));
        Assert.NotEmpty(plane.Samples.Where(s => s.Name.StartsWith("orleans_")));
        Assert.Equal(3, (await AgentMetricsAsync()).Value("orchestrator_agent_container_starts_total", OfService));

        var scale = await cluster.Orc("scale", "service", Service, "--replicas", "5");
        Assert.True(scale.ExitCode == 0, scale.ToString());
        Assert.Equal(new Reading(5, 5, 5, 5, 5), await UntilGaugesMatchDockerAsync(5, "after the scale"));

        // A crash the orchestrator did not cause: the agent starts the container again (or replaces it) and counts it.
        var before = await AgentStartsAndRestartsAsync();
        var victim = (await cluster.RunningContainersAsync($"default/{Service}"))[0];
        var kill = await cluster.Docker.KillAsync(victim.Id);
        Assert.True(kill.ExitCode == 0, kill.ToString());
        await Wait.UntilAsync(async () =>
        {
            var running = await cluster.RunningContainersAsync($"default/{Service}");
            return running.Count == 5 && !running.Any(c => c.Id == victim.Id && c.StartedAt == victim.StartedAt);
        }, Timeout, "the killed container to be started again or replaced");
        await Wait.UntilAsync(async () => await AgentStartsAndRestartsAsync() > before, Timeout, "the agent to count the restart");
        Assert.Equal(new Reading(5, 5, 5, 5, 5), await UntilGaugesMatchDockerAsync(5, "after the kill"));
    }
}
