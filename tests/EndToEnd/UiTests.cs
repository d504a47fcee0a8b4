using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// The status page at /ui in a real headless Chromium against a real cluster: what its scripts render after fetching
/// GET /api/v1/overview, and that it follows a change without a reload; the overview endpoint itself.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class UiTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private const long Mi = 1024 * 1024;

    private const string WebYaml = """
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: web}
        spec:
          image: local/web:1
          replicas: 2
          resources: {cpu: 100m, memory: 32Mi}
          ports:
            - containerPort: 8080
        """;

    // What the page shows, read from its DOM: text as rendered, no API data.
    private const string ReadPage = """
        (() => {
          const text = (root, selector) => { const e = root.querySelector(selector); return e ? e.textContent : null; };
          return {
            refreshes: Number(document.body.dataset.refreshes || 0),
            reloadMarker: window.uiTestMarker || null,
            live: text(document, "#live"),
            replicasReady: text(document, "#replicas-ready"),
            pending: text(document, "#replicas-pending"),
            firstEvent: text(document, "#events tbody tr"),
            dashboardLink: document.querySelector('a[href="/orleans-dashboard/"]') !== null,
            nodes: [...document.querySelectorAll("[data-node]")].map(n => ({
              name: text(n, ".node-name"),
              state: text(n, ".node-head .badge"),
              replicaCount: text(n, ".replica-count"),
              cpu: text(n, '[data-usage="cpu-reserved"]'),
              memory: text(n, '[data-usage="memory-reserved"]'),
              cpuUsed: text(n, '[data-usage="cpu-used"]'),
              memoryUsed: text(n, '[data-usage="memory-used"]'),
              labels: [...n.querySelectorAll(".usage-label span:first-child")].map(l => l.textContent),
              replicas: [...n.querySelectorAll("tr[data-replica]")].map(r => ({
                id: r.dataset.replica,
                name: text(r, ".replica-name"),
                service: text(r, ".replica-service"),
                state: text(r, ".replica-state"),
                ready: text(r, ".replica-ready"),
              })),
            })),
            services: [...document.querySelectorAll("#services tr[data-service]")].map(r => ({
              name: text(r, ".service-name"),
              desired: text(r, ".desired"),
              running: text(r, ".running"),
              ready: text(r, ".ready"),
            })),
            events: document.querySelectorAll("#events tbody tr").length,
          };
        })()
        """;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_status_page_shows_nodes_services_and_replicas_and_follows_a_scale_without_a_reload()
    {
        var apply = await cluster.Orc("apply", "-f", cluster.Manifest("web.yaml", WebYaml),
            "-f", cluster.Manifest("worker.yaml", SleepService.Yaml("worker", 1)));
        Assert.True(apply.ExitCode == 0, apply.ToString());
        await WaitForReadyAsync("web", 2);
        await WaitForReadyAsync("worker", 1);

        await using var browser = await Chromium.OpenAsync(cluster.ApiUrl + "/ui", Path.Combine(cluster.WorkDir, "chromium.log"), cluster.Tls);
        await Credentials.LogInAsync(browser, cluster.ApiUrl);
        await browser.WaitUntilAsync("document.body != null && Number(document.body.dataset.refreshes || 0) >= 1", TimeSpan.FromSeconds(20),
            "the page's first fetch of the overview to be rendered");
        var page = await ReadAsync(browser);

        Assert.Equal("live", page.Live);
        Assert.Equal("3/3 replicas ready", page.ReplicasReady);
        Assert.Null(page.Pending);
        Assert.True(page.DashboardLink, "the page links to the Orleans dashboard");
        var node = Assert.Single(page.Nodes);
        Assert.Equal(cluster.NodeName, node.Name);
        Assert.Equal("Ready", node.State);
        Assert.Equal("3 replicas", node.ReplicaCount);
        Assert.StartsWith("200m / ", node.Cpu);
        Assert.StartsWith("80 MiB / ", node.Memory);
        Assert.Equal(["cpu reserved", "memory reserved", "cpu in use", "memory in use"], node.Labels);
        AssertService(page, "default/web", 2);
        AssertService(page, "default/worker", 1);
        await AssertReplicaRowsAsync(node, "web", 2);
        await AssertReplicaRowsAsync(node, "worker", 1);
        Assert.True(page.Events > 0, "the page lists recent events");

        var screenshot = await browser.ScreenshotAsync();
        Assert.True(screenshot.Length > 10_000, $"a screenshot of {screenshot.Length} bytes is too small to show the page");
        var artifacts = Path.Combine(Repo.Root, "artifacts", "test-results");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllBytesAsync(Path.Combine(artifacts, "ui.png"), screenshot);

        // Live: the page is left open, the service scaled behind its back; it must show the change on its own.
        await browser.EvaluateAsync("window.uiTestMarker = 'same page'");
        var scale = await cluster.Orc("scale", "service", "web", "--replicas", "3");
        Assert.True(scale.ExitCode == 0, scale.ToString());
        await browser.WaitUntilAsync("""
            (() => {
              const row = document.querySelector('#services tr[data-service="default/web"]');
              return row !== null && row.querySelector(".ready").textContent === "3"
                && document.querySelectorAll('[data-node] tr[data-replica]').length === 4;
            })()
            """, TimeSpan.FromSeconds(30), "the open page to show web with 3 ready replicas");
        var after = await ReadAsync(browser);
        Assert.Equal("same page", after.ReloadMarker);
        Assert.True(after.Refreshes > page.Refreshes, "the page fetched the overview again");
        AssertService(after, "default/web", 3);
        var nodeAfter = Assert.Single(after.Nodes);
        Assert.StartsWith("300m / ", nodeAfter.Cpu);
        await AssertReplicaRowsAsync(nodeAfter, "web", 3);
        // In use is the engine's measure, asked of the agent apart from the overview.
        await browser.WaitUntilAsync("""document.querySelector('[data-usage="memory-used"]').textContent !== "unknown" """,
            TimeSpan.FromSeconds(30), "the page to show the memory in use from the agent's stats");
        Assert.Matches(@"^\d+(\.\d)? (B|KiB|MiB|GiB) / ", (await ReadAsync(browser)).Nodes[0].MemoryUsed);

        // A replica that cannot be placed: the header says so in a warning colour, and its warning heads the events.
        var tooBig = await cluster.Orc("apply", "-f", cluster.Manifest("toobig.yaml", SleepService.Yaml("toobig", 1).Replace("memory: 16Mi", "memory: 4000Gi")));
        Assert.True(tooBig.ExitCode == 0, tooBig.ToString());
        try
        {
            await browser.WaitUntilAsync("""document.querySelector("#replicas-pending") !== null""", TimeSpan.FromSeconds(30),
                "the header to show the pending replica");
            var pending = await ReadAsync(browser);
            Assert.Equal("1 pending", pending.Pending);
            Assert.Equal("4/5 replicas ready", pending.ReplicasReady);
            Assert.Contains("FailedScheduling", pending.FirstEvent);
            // Newer normal events (a scale of worker: Scheduled, Started, Ready) come below it, not above.
            Assert.Equal(0, (await cluster.Orc("scale", "worker", "--replicas", "2")).ExitCode);
            await browser.WaitUntilAsync("""
                (() => { const row = document.querySelector('#services tr[data-service="default/worker"]');
                         return row !== null && row.querySelector(".ready").textContent === "2"; })()
                """, TimeSpan.FromSeconds(30), "the page to show worker with 2 ready replicas");
            Assert.Contains("FailedScheduling", (await ReadAsync(browser)).FirstEvent);
            Assert.Equal("chip chip-warn", (await browser.EvaluateAsync("""document.querySelector("#replicas-pending").className"""))!.GetValue<string>());
        }
        finally
        {
            await cluster.Orc("delete", "service", "toobig");
            await cluster.Orc("scale", "worker", "--replicas", "1");
        }
    }

    [Fact]
    public async Task The_overview_endpoint_counts_what_each_node_carries()
    {
        var apply = await cluster.Orc("apply", "-f", cluster.Manifest("counted.yaml", SleepService.Yaml("counted", 2)));
        Assert.True(apply.ExitCode == 0, apply.ToString());
        try
        {
            await WaitForReadyAsync("counted", 2);

            var overview = await cluster.TryGetAsync<ClusterOverview>("/api/v1/overview");
            Assert.NotNull(overview);
            var node = Assert.Single(overview.Nodes);
            Assert.Equal(cluster.NodeName, node.Node.Name);
            // The stored heartbeat is a lease renewed every 10 s (NodeLease), so its age reaches 10 s and a little more.
            Assert.InRange(node.HeartbeatAgeSeconds, 0, 15);
            var replicas = (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas"))!;
            Assert.Equal(replicas.Select(r => r.Replica.Id).Order(), node.Replicas.Select(r => r.Replica.Id).Order());
            Assert.Equal(replicas.Sum(r => r.Replica.Container.MemoryBytes), node.Allocated.MemoryBytes);
            Assert.Equal(replicas.Sum(r => r.Replica.Container.MilliCpu), node.Allocated.MilliCpu);
            Assert.Contains(node.Replicas, r => r.Replica.Service == "counted" && r.Replica.Container.MemoryBytes == 16 * Mi);
            var counted = Assert.Single(overview.Services, s => s.Service.Metadata.Name == "counted");
            Assert.Equal((2, 2, 2), (counted.Status.Desired, counted.Status.Running, counted.Status.Ready));
            Assert.Contains(overview.Events, e => e.Object == "Service/default/counted" && e.Reason == "Scheduled");
            Assert.True(overview.Events.Count <= 50, $"{overview.Events.Count} events: the overview keeps the newest 50");
        }
        finally
        {
            // The other tests of this cluster count what runs on the node: leave nothing behind.
            await cluster.Orc("delete", "service", "counted");
            // The whole list: a filter on a service that no longer exists is a 404, not an empty list.
            await Wait.UntilAsync(async () => (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas"))?.Any(r => r.Replica.Service == "counted") == false,
                TimeSpan.FromSeconds(30), "the replicas of counted to be gone");
        }
    }

    private async Task WaitForReadyAsync(string service, int replicas) =>
        await Wait.UntilAsync(async () =>
            (await cluster.TryGetAsync<List<ServiceView>>("/api/v1/services"))?.SingleOrDefault(s => s.Service.Metadata.Name == service)
                is { Status.Ready: var ready, Status.Running: var running } && ready == replicas && running == replicas,
            TimeSpan.FromSeconds(30), $"{replicas} ready replica(s) of {service}");

    private static async Task<PageView> ReadAsync(Chromium browser) =>
        (await browser.EvaluateAsync(ReadPage))!.Deserialize<PageView>(Web)!;

    private static void AssertService(PageView page, string name, int replicas)
    {
        var row = Assert.Single(page.Services, s => s.Name == name);
        var expected = replicas.ToString();
        Assert.Equal((expected, expected, expected), (row.Desired, row.Running, row.Ready));
    }

    /// <summary>The node's rows for a service are exactly the replicas the API has, each running and ready.</summary>
    private async Task AssertReplicaRowsAsync(PageNode node, string service, int count)
    {
        var api = (await cluster.TryGetAsync<List<ReplicaView>>($"/api/v1/replicas?namespace=default&service={service}"))!;
        var rows = node.Replicas.Where(r => r.Service == "default/" + service).ToList();
        Assert.Equal(count, rows.Count);
        Assert.Equal(api.Select(r => r.Replica.Id).Order(), rows.Select(r => r.Id).Order());
        // One name everywhere: the CLI's and the events' web.1.px9r2x.
        Assert.Equal(api.Select(r => r.Replica.ContainerName).Order(), rows.Select(r => r.Name).Order());
        Assert.All(rows, r => Assert.Equal(("Running", "ready"), (r.State, r.Ready)));
    }

    private sealed record PageView(int Refreshes, string? ReloadMarker, string? Live, string? ReplicasReady, string? Pending,
        string? FirstEvent, bool DashboardLink, List<PageNode> Nodes, List<PageService> Services, int Events);

    private sealed record PageNode(string? Name, string? State, string? ReplicaCount, string? Cpu, string? Memory,
        string? CpuUsed, string? MemoryUsed, List<string> Labels, List<PageReplica> Replicas);

    private sealed record PageReplica(string? Id, string? Name, string? Service, string? State, string? Ready);

    private sealed record PageService(string? Name, string? Desired, string? Running, string? Ready);
}

/// <summary>
/// The Orleans dashboard served by the control plane, also when a second control plane joins. A cluster of its own:
/// the second silo is killed at the end, and grains the first still places on it for a while must not fail other tests.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class UiOrleansDashboardTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    [Fact]
    public async Task The_Orleans_dashboard_answers_on_each_control_plane_of_a_two_silo_cluster()
    {
        var page = await cluster.Http.GetAsync("/orleans-dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync());

        var missing = await cluster.Http.GetAsync("/ui/no-such-file.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var error = await missing.Content.ReadFromJsonAsync<ApiError>(Json.Options);
        Assert.StartsWith("no file \"no-such-file.js\" in the status page", error?.Error);

        // A second control plane joins the first's Orleans cluster (same etcd, same cluster id), dashboard and all.
        using var second = new ControlPlaneServer($"https://127.0.0.1:{Ports.Free()}", cluster.EtcdUrl, cluster.RunId,
            Path.Combine(cluster.WorkDir, "controlplane-2.log"), cluster.Tls);
        await second.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await second.Http.GetAsync("/orleans-dashboard/")).StatusCode);
        foreach (var http in new[] { cluster.Http, second.Http })
        {
            await Wait.UntilAsync(async () =>
            {
                var counters = JsonNode.Parse(await http.GetStringAsync("/orleans-dashboard/DashboardCounters"));
                return counters?["hosts"]?.AsArray().Count(h => (string?)h?["status"] == "Active") == 2;
            }, TimeSpan.FromSeconds(30), $"the dashboard at {http.BaseAddress} to show 2 active silos");
        }
        Assert.Equal(HttpStatusCode.OK, (await second.Http.GetAsync("/api/v1/overview")).StatusCode);

        // Its scripts and styles load under the prefix: in a browser the page renders the cluster (not in the HTML itself).
        await using var browser = await Chromium.OpenAsync(cluster.ApiUrl + "/orleans-dashboard/", Path.Combine(cluster.WorkDir, "chromium.log"), cluster.Tls);
        await Credentials.LogInAsync(browser, cluster.ApiUrl);
        await browser.WaitUntilAsync("document.body != null && document.body.textContent.includes('Active Silos')", TimeSpan.FromSeconds(30),
            "the Orleans dashboard to render its overview in Chromium");
    }
}
