using System.Diagnostics;
using System.Net.Http.Json;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Every reason a replica is not running is visible where a person looks first, and clears by itself: a host port another
/// program holds (a listener this test opens on a free port), and an image that is not there yet (tagged afterwards).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ReasonTests(TestCluster cluster, ITestOutputHelper output) : IClassFixture<TestCluster>
{
    private static readonly TimeSpan Visible = TimeSpan.FromSeconds(10);

    private string Service(string name, string image, int? hostPort = null) => cluster.Manifest($"{name}.yaml", $$"""
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: {{name}}}
        spec:
          image: {{image}}
          command: ["sleep", "3600"]
          replicas: 1
          stopGracePeriod: 1s
        {{(hostPort is { } p ? $"  ports: [{{containerPort: 80, hostPort: {p}}}]" : "")}}
        """);

    private static TcpListener Listen()
    {
        // A program outside the cluster, on a port nobody else uses: the IPv4 wildcard, where the engine's proxy binds too.
        var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return listener;
    }

    private static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    private async Task<string> ServicesTableAsync() => (await cluster.Orc("get", "services")).Stdout;

    private static string? LineOf(string table, string service) =>
        table.Split('\n').FirstOrDefault(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var name, ..] && name == service);

    [Fact]
    public async Task A_taken_host_port_and_a_missing_image_are_named_within_10s_and_the_image_built_later_runs_without_another_command()
    {
        var node = cluster.NodeName;
        var image = $"local/nope-{Guid.NewGuid().ToString("N")[..8]}:1";
        using var listener = Listen();
        var port = PortOf(listener);
        try
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(0, (await cluster.Orc("apply", "-f", Service("holder", "local/busybox:1", port), "-f", Service("nope", image))).ExitCode);

            // The port is either avoided at placement (the agent reported it) or refused by the engine (placed before the report):
            // both name the port and the node.
            string table = "";
            await Wait.UntilAsync(async () =>
            {
                table = await ServicesTableAsync();
                return LineOf(table, "holder") is { } holder && holder.Contains($"{port}/tcp") && holder.Contains(node)
                    && LineOf(table, "nope") is { } nope && nope.Contains($"ImageNotFound: {image} is not on node {node}");
            }, Visible, "orc get services to name the taken port and the missing image", poll: TimeSpan.FromMilliseconds(250));
            output.WriteLine($"reasons shown {clock.Elapsed.TotalSeconds:0.0}s after the apply:\n{table}");

            var describe = (await cluster.Orc("describe", "service", "nope")).Stdout;
            Assert.Contains($"Reason:       ImageNotFound: {image} is not on node {node}", describe);
            Assert.Contains("ImageNotFound", (await cluster.Orc("get", "replicas", "--service", "nope")).Stdout);
            var holderDescribe = (await cluster.Orc("describe", "service", "holder")).Stdout;
            Assert.Contains($"{port}/tcp", holderDescribe);
            output.WriteLine(describe);

            // The status page says it too: on the service's line and on the replica's badge.
            var shownAt = Stopwatch.StartNew();
            await using (var browser = await Chromium.OpenAsync(cluster.ApiUrl + "/ui", Path.Combine(cluster.WorkDir, "chromium-reasons.log"), cluster.Tls))
            {
                await Credentials.LogInAsync(browser, cluster.ApiUrl);
                await browser.WaitUntilAsync($$"""
                    (() => {
                      const row = document.querySelector('#services tr[data-service="default/nope"]');
                      const badges = [...document.querySelectorAll('[data-node] tr[data-replica] .replica-state')].map(b => b.textContent);
                      return row !== null && row.querySelector(".health").textContent.includes("ImageNotFound: {{image}} is not on node {{node}}")
                        && badges.includes("ImageNotFound");
                    })()
                    """, Visible, "the status page to show the missing image");
            }
            output.WriteLine($"status page showed the reason within {shownAt.Elapsed.TotalSeconds:0.0}s of opening");

            // Retried with back-off (1 s, 2 s, 4 s ...), said once: one event for the reason, however many retries.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var detail = await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/nope");
            Assert.Equal(1, detail!.Events.Count(e => e.Reason == ReplicaReasons.ImageNotFound));
            Assert.NotEqual(RolloutPhase.Failed, detail.Rollout?.Phase);

            // "Build" the image: the agent's next retry starts it; nobody resumes anything.
            Assert.Equal(0, (await cluster.Docker.TagAsync("local/busybox:1", image)).ExitCode);
            var built = Stopwatch.StartNew();
            await Wait.UntilAsync(async () => await cluster.Docker.RunningCountAsync(cluster.RunId, "default/nope") == 1,
                TimeSpan.FromSeconds(45), "the service to run once its image is there");
            output.WriteLine($"running {built.Elapsed.TotalSeconds:0.0}s after the image was tagged");
            await Wait.UntilAsync(async () =>
            {
                var now = await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/nope");
                return now?.Status.Reason is null && now?.Rollout?.Phase == RolloutPhase.Complete;
            }, Visible, "the reason to clear and the first rollout to complete");

            // The program lets go of the port: the holder runs, without another command either.
            listener.Stop();
            await Wait.UntilAsync(async () => await cluster.Docker.RunningCountAsync(cluster.RunId, "default/holder") == 1,
                TimeSpan.FromSeconds(45), "the holder to run once the port is free");
            await Wait.UntilAsync(async () => (await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/holder"))?.Status.Reason is null,
                Visible, "the holder's reason to clear");
        }
        finally
        {
            await cluster.Orc("delete", "service", "holder");
            await cluster.Orc("delete", "service", "nope");
            await cluster.Docker.RemoveImageAsync(image);
        }
    }

    [Fact]
    public async Task A_port_another_program_holds_keeps_the_replica_pending_with_the_port_and_the_node_named()
    {
        var node = cluster.NodeName;
        using var listener = Listen();
        var port = PortOf(listener);
        try
        {
            // The agent reports it with its next heartbeat (every second).
            await Wait.UntilAsync(async () =>
                (await cluster.TryGetAsync<NodeInfo>($"/api/v1/nodes/{node}"))?.PortsInUse.Contains(new ListeningPort { Port = port, Protocol = "tcp" }) == true,
                TimeSpan.FromSeconds(5), $"node {node} to report port {port}/tcp as held by another program");

            Assert.Equal(0, (await cluster.Orc("apply", "-f", Service("blocked", "local/busybox:1", port))).ExitCode);

            var expected = $"0/1 nodes available: 1 host port in use by another program: {port}/tcp on {node}";
            await Wait.UntilAsync(async () => LineOf(await ServicesTableAsync(), "blocked")?.Contains(expected) == true,
                Visible, "orc get services to show the replica pending for the port");
            var detail = await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/blocked");
            Assert.Equal((1, expected), (detail!.Status.Pending, detail.Status.PendingReason));
            Assert.Empty(detail.Replicas);
            Assert.Contains($"Pending:      {expected}", (await cluster.Orc("describe", "service", "blocked")).Stdout);
            Assert.Equal(0, await cluster.Docker.RunningCountAsync(cluster.RunId, "default/blocked"));
        }
        finally
        {
            await cluster.Orc("delete", "service", "blocked");
        }
    }

    [Fact]
    public async Task A_hostile_port_report_is_refused_naming_the_entry_and_changes_nothing()
    {
        var node = cluster.NodeName;
        var before = (await cluster.TryGetAsync<NodeInfo>($"/api/v1/nodes/{node}"))!;
        var tooMany = Enumerable.Range(1, ListeningPort.MaxReported + 1).Select(p => new ListeningPort { Port = p }).ToList();
        var cases = new (HttpMethod Method, string Path, object Body, string Error)[]
        {
            (HttpMethod.Post, $"/api/v1/nodes/{node}/heartbeat",
                new NodeHeartbeat { AgentSession = before.AgentSession ?? "", PortsInUse = [new ListeningPort { Port = 70000 }] },
                "portsInUse[0].port is 70000; allowed: 1-65535"),
            (HttpMethod.Post, $"/api/v1/nodes/{node}/heartbeat",
                new NodeHeartbeat { AgentSession = before.AgentSession ?? "", PortsInUse = [new ListeningPort { Port = 80, Protocol = "sctp" }] },
                "portsInUse[0].protocol is \"sctp\"; allowed: tcp, udp"),
            (HttpMethod.Put, $"/api/v1/nodes/{node}",
                new NodeRegistration { AgentSession = "hostile", Address = "127.0.0.1", PortsInUse = tooMany },
                $"portsInUse has {ListeningPort.MaxReported + 1} entries; at most {ListeningPort.MaxReported} are allowed"),
        };
        foreach (var (method, path, body, error) in cases)
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, body.GetType(), options: Json.Options) };
            using var answer = await cluster.Http.SendAsync(request);
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)answer.StatusCode} {text}");
            Assert.Equal(error, System.Text.Json.JsonSerializer.Deserialize<ApiError>(text, Json.Options)!.Error);
        }

        var after = (await cluster.TryGetAsync<NodeInfo>($"/api/v1/nodes/{node}"))!;
        Assert.Equal(before.AgentSession, after.AgentSession);
        Assert.DoesNotContain(after.PortsInUse, p => p.Port is 70000 || p.Protocol == "sctp");
        Assert.True(after.PortsInUse.Count <= ListeningPort.MaxReported);
    }
}
