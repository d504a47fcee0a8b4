using System.Diagnostics;
using System.Text.RegularExpressions;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Services on the cluster network (docs/networking.md): names, the virtual IP balanced in the kernel of every node,
/// the published port on every node, readiness-driven endpoints, and no failed request through a rolling update and a
/// scale-down, and a virtual IP without endpoints refused at once. `web` runs only on h2 and h3; its client runs on h1.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(NetworkCollection.Name)]
public sealed partial class ServiceNetworkTests(NetworkedHosts cluster)
{
    private const int ProbePeriodSeconds = 2;

    // Each replica's page is its own hostname (the container's), so a client sees which replica answered.
    private static string Web(int replicas, string version) => $$"""
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: web}
        spec:
          image: local/busybox:1
          command: [sh, -c, "mkdir -p /tmp/www && hostname > /tmp/www/index.html && touch /tmp/www/ready && exec httpd -f -p 8080 -h /tmp/www"]
          env: {VERSION: "{{version}}"}
          replicas: {{replicas}}
          resources: {cpu: 10m, memory: 16Mi}
          ports:
            - {containerPort: 8080, publishedPort: 30080}
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
            # A first probe before httpd listens would fail the rollout (failureThreshold 1).
            initialDelaySeconds: 1
            periodSeconds: {{ProbePeriodSeconds}}
            timeoutSeconds: 2
            failureThreshold: 1
          placement:
            constraints:
              - {key: node.name, operator: In, values: [h2, h3]}
        """;

    private const string Client = """
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: client}
        spec:
          image: local/busybox:1
          # A shell as PID 1 reaps what busybox timeout leaves behind (its watcher, orphaned at each request); sleep did
          # not, and the zombies reached the pids limit after about a thousand requests.
          command: [sh, -c, "while true; do sleep 1; done"]
          replicas: 1
          # Its wget loops fork two processes a request: at 10m (a hundredth of a core) they made 4 requests a second.
          resources: {cpu: 500m, memory: 32Mi}
          placement:
            nodeSelector: {node.name: h1}
        """;

    [Fact]
    public async Task A_service_is_reached_by_name_balanced_over_ready_replicas_published_on_every_node_and_updated_without_a_failed_request()
    {
        var h1 = cluster.Host("h1");
        try
        {
            // web first without replicas: its virtual IP refuses connections at once; then with three.
            Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("svc-web.yaml", Web(0, "1")), "-f", cluster.Manifest("svc-client.yaml", Client))).ExitCode);
            string client = "";
            await Wait.UntilAsync(async () =>
            {
                client = (await cluster.ContainersOnHostAsync(h1, "default", "client")).FirstOrDefault()?.Id ?? "";
                return client.Length > 0;
            }, TimeSpan.FromSeconds(30), "the client running on h1");
            async Task<CommandResult> InClient(string script) => await h1.Docker.ExecAsync(client, "sh", "-c", script);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            await NoEndpointsRefusedAsync(InClient, http);

            Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("svc-web.yaml", Web(3, "1")))).ExitCode);
            var endpoints = await ReadyEndpointsAsync(3);
            Assert.Matches(@"^10\.241\.\d+\.\d+$", endpoints.VirtualIp);
            Assert.All(endpoints.Ready, e => Assert.Contains(e.Node, new[] { "h2", "h3" }));
            var table = await cluster.Orc("get", "endpoints", "web");
            Assert.Contains(endpoints.VirtualIp, table.Stdout);
            Assert.All(endpoints.Ready, e => Assert.Contains(e.Ip, table.Stdout));

            // Names: NAME, NAME.NAMESPACE and the long form are the virtual IP; tasks.NAME the three ready replicas.
            foreach (var name in new[] { "web", "web.default", "web.default.svc.cluster.local" })
            {
                var lookup = await InClient($"nslookup {name}");
                Assert.True(Ipv4s(lookup.Stdout).Contains(endpoints.VirtualIp), $"nslookup {name}: {lookup}");
            }
            var tasks = await InClient("nslookup tasks.web");
            Assert.Equal(endpoints.Ready.Select(e => e.Ip).Order(), Ipv4s(tasks.Stdout).Where(ip => ip.StartsWith("10.240.")).Order());

            // 30 requests by name reach all three replicas, balanced by h1's kernel (busybox wget resolves through the
            // engine's resolver, which forwards our names to the agent; its -T crashes, so `timeout` bounds each).
            var vip = endpoints.VirtualIp;
            var pages = await InClient("for i in $(seq 30); do timeout 3 wget -qO- http://web:8080/; done");
            var answered = Lines(pages.Stdout);
            if (answered.Count != 30)
            {
                var one = await InClient($"timeout 3 wget -O- http://{vip}:8080/ 2>&1; timeout 3 wget -O- http://web:8080/ 2>&1; cat /etc/resolv.conf");
                var saved = await InHost("h1", "iptables-save", "-c");
                Assert.Fail($"{answered.Count} of 30 requests answered: {pages}\none: {one}\nh1:\n{saved.Stdout}");
            }
            Assert.Equal(3, answered.Distinct().Count());

            // The published port on h1, which runs no replica: answered by h2's and h3's.
            var published = new List<string>();
            for (var i = 0; i < 20; i++) published.Add((await http.GetStringAsync("http://10.231.0.11:30080/")).Trim());
            Assert.Subset(answered.ToHashSet(), published.ToHashSet());
            Assert.True(published.Distinct().Count() >= 2, $"published port answered only from {string.Join(", ", published.Distinct())}");

            await ReadinessDrivesEndpointsAsync(endpoints, InClient);

            // Not one failed request, by name through the virtual IP and through the published port, while replicas stop.
            Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("svc-web.yaml", Web(6, "1")))).ExitCode);
            await ReadyEndpointsAsync(6);
            await NoFailedRequestAsync(InClient, http, "a rolling update of 6 replicas", async () =>
            {
                Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("svc-web.yaml", Web(6, "2")))).ExitCode);
                await Wait.UntilAsync(async () => (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?service=web") ?? [])
                    is var rs && rs.Count == 6 && rs.All(r => r.Replica.Container.Env.GetValueOrDefault("VERSION") == "2" && r.Status is { Ready: true }),
                    TimeSpan.FromSeconds(120), "web's rolling update to VERSION=2");
                await UntilRunningAsync(6);
            });
            // Each replacement was an endpoint event, each old replica left before its stop signal.
            var events = await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events?namespace=default&service=web") ?? [];
            Assert.Contains(events, e => e.Reason == "EndpointReady");
            Assert.Contains(events, e => e.Reason == "EndpointRemoved" && e.Message.EndsWith(": terminating"));

            await NoFailedRequestAsync(InClient, http, "a scale 6 -> 2", async () =>
            {
                Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("svc-web.yaml", Web(2, "2")))).ExitCode);
                await UntilRunningAsync(2);
            });
            await EndpointMetricsAsync(2);

            var drained = cluster.Host((await ReadyEndpointsAsync(2)).Ready[0].Node);
            try
            {
                await NoFailedRequestAsync(InClient, http, $"a drain of {drained.Name}", async () =>
                {
                    var drain = await cluster.Orc("node", "drain", drained.Name, "--timeout", "00:01:00");
                    Assert.True(drain.ExitCode == 0, drain.ToString());
                    await Wait.UntilAsync(async () => (await cluster.ContainersOnHostAsync(drained, "default", "web")).Count == 0,
                        TimeSpan.FromSeconds(30), $"no web container left on {drained.Name}");
                    await UntilRunningAsync(2);
                });
            }
            finally
            {
                await cluster.Orc("node", "uncordon", drained.Name);
            }
            await HostLossAsync(InClient, http);
        }
        catch
        {
            // The testbed (and the agents' logs in it) goes at the end of the run: keep them beside the control plane's.
            foreach (var host in cluster.Hosts)
                if (File.Exists(Path.Combine(cluster.WorkDir, "testbed", host.Name, "agent.log")))
                    File.Copy(Path.Combine(cluster.WorkDir, "testbed", host.Name, "agent.log"), Path.Combine(cluster.WorkDir, $"agent-{host.Name}.log"), true);
            throw;
        }
        finally
        {
            await cluster.Orc("delete", "service", "web");
            await cluster.Orc("delete", "service", "client");
        }
    }

    /// <summary>A replica failing readiness leaves DNS and every node's rules within two probe periods, and comes back.</summary>
    private async Task ReadinessDrivesEndpointsAsync(ServiceEndpoints endpoints, Func<string, Task<CommandResult>> inClient)
    {
        var victim = endpoints.Ready[0];
        var host = cluster.Host(victim.Node);
        var container = (await cluster.ContainersOnHostAsync(host, "default", "web")).Single(c => c.ReplicaId == victim.ReplicaId);
        Assert.Equal(0, (await host.Docker.ExecAsync(container.Id, "rm", "/tmp/www/ready")).ExitCode);
        var clock = Stopwatch.StartNew();
        await Wait.UntilAsync(async () => !(await inClient("nslookup tasks.web")).Stdout.Contains(victim.Ip)
            && !(await InHost("h1", "iptables-save", "-t", "nat")).Stdout.Contains(victim.Ip + ":8080"),
            TimeSpan.FromSeconds(4 * ProbePeriodSeconds), $"{victim.Ip} out of tasks.web and h1's rules");
        var left = clock.Elapsed;
        Assert.True(left <= TimeSpan.FromSeconds(2 * ProbePeriodSeconds) + TimeSpan.FromSeconds(1),
            $"the unready replica left after {left.TotalSeconds:0.0} s, more than two probe periods ({2 * ProbePeriodSeconds} s) and 1 s of polling");
        Assert.Equal(0, (await host.Docker.ExecAsync(container.Id, "touch", "/tmp/www/ready")).ExitCode);
        await Wait.UntilAsync(async () => (await inClient("nslookup tasks.web")).Stdout.Contains(victim.Ip)
            && (await InHost("h1", "iptables-save", "-t", "nat")).Stdout.Contains(victim.Ip + ":8080"),
            TimeSpan.FromSeconds(4 * ProbePeriodSeconds), $"{victim.Ip} back in tasks.web and h1's rules");
    }

    /// <summary>How many requests each path must carry through a change, at least; not one may fail.</summary>
    private const int Requests = 500;
    private const int Loops = 4;

    /// <summary>
    /// Requests without pause, by name through the virtual IP (<see cref="Loops"/> wget loops in the client on h1) and
    /// through the published port (as many loops from this machine to h1, a new connection each), from before
    /// <paramref name="change"/> until it is done and each path carried at least <see cref="Requests"/>: not one may fail.
    /// </summary>
    private static async Task NoFailedRequestAsync(Func<string, Task<CommandResult>> inClient, HttpClient http, string what, Func<Task> change)
    {
        // A failure says when and what wget said (refused, timed out, a bad address). Each request is bounded at 10 s: on
        // this loaded machine a request can take seconds without failing; one that reaches a stopped replica fails at once.
        var loop = "while [ ! -f /tmp/stop ]; do if err=$(timeout 10 wget -qO- http://web:8080/ 2>&1 >/dev/null); then echo ok; else echo \"FAIL $? $(date +%T) $err\"; fi; done";
        await inClient("rm -f /tmp/loop*.log /tmp/stop; " + string.Concat(Enumerable.Range(0, Loops).Select(i => $"({loop} > /tmp/loop{i}.log 2>&1 &); ")));
        var publishedOk = 0;
        var publishedFailed = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, Loops).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "http://10.231.0.11:30080/");
                request.Headers.ConnectionClose = true;
                try
                {
                    using var response = await http.SendAsync(request);
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref publishedOk);
                    else publishedFailed.Enqueue($"HTTP {(int)response.StatusCode}");
                }
                catch (Exception e) { publishedFailed.Enqueue(e.GetBaseException().Message); }
            }
        })).ToList();
        var clock = Stopwatch.StartNew();
        await change();
        var changed = clock.Elapsed;
        // Both paths on until each carried enough (or 90 s more: the counts below then say which fell short).
        var deadline = clock.Elapsed + TimeSpan.FromSeconds(90);
        while (clock.Elapsed < deadline && (Volatile.Read(ref publishedOk) + publishedFailed.Count < Requests
                   || Lines((await inClient("cat /tmp/loop*.log")).Stdout).Count < Requests))
            await Task.Delay(500);
        stop.Cancel();
        await Task.WhenAll(loops);
        await inClient("touch /tmp/stop; sleep 4");
        var log = Lines((await inClient("cat /tmp/loop*.log")).Stdout);
        var failures = log.Where(l => l != "ok").ToList();
        var failed = failures.Count;
        var figure = $"{what}: virtual IP by name {failed} failed of {log.Count}, published port {publishedFailed.Count} failed of {publishedOk + publishedFailed.Count} " +
            $"(the change took {changed.TotalSeconds:0.0} s; requests ran {clock.Elapsed.TotalSeconds:0.0} s)";
        Measurements.Record("service network, " + figure);
        Assert.True(failed == 0 && log.Count >= Requests, $"{figure}: {string.Join("; ", failures.Take(5))}");
        Assert.True(publishedFailed.IsEmpty && publishedOk >= Requests, $"{figure}: {string.Join("; ", publishedFailed.Distinct())}");
    }

    /// <summary>Until Docker runs exactly <paramref name="count"/> web containers over the hosts: the stopped ones are stopped.</summary>
    private async Task UntilRunningAsync(int count) =>
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "web") == count, TimeSpan.FromSeconds(60), $"{count} web container(s) running");

    /// <summary>The control plane's endpoint gauge and h1's rule sync on /metrics.</summary>
    private async Task EndpointMetricsAsync(int ready)
    {
        await Wait.UntilAsync(async () => (await PrometheusText.ScrapeAsync(cluster.Http, cluster.ApiUrl + "/metrics"))
                .Value("orchestrator_service_endpoints", ("namespace", "default"), ("service", "web"), ("state", "ready")) == ready,
            TimeSpan.FromSeconds(10), $"orchestrator_service_endpoints{{state=ready}} {ready} for web");
        using var agentHttp = cluster.Tls.ApiAndAgentClient(cluster.Http);
        var agent = await PrometheusText.ScrapeAsync(agentHttp, cluster.Host("h1").AgentUrl + "/metrics");
        var last = agent.Samples.Single(s => s.Name.StartsWith("orchestrator_agent_network_sync_last", StringComparison.Ordinal)).Value;
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - last, -5, 10);
        Assert.Contains(agent.Samples, s => s.Name.StartsWith("orchestrator_agent_network_sync_duration", StringComparison.Ordinal) && s.Name.EndsWith("_count") && s.Value > 0);
    }

    /// <summary>
    /// web without replicas: it has a virtual IP without endpoints, and a connection to it is refused at once (a reset from
    /// h1's ORC-NO-ENDPOINTS, as kube-proxy's REJECT), by address and by name, instead of timing out; so is the published port.
    /// </summary>
    private async Task NoEndpointsRefusedAsync(Func<string, Task<CommandResult>> inClient, HttpClient http)
    {
        var vip = (await ReadyEndpointsAsync(0)).VirtualIp;
        CommandResult last = null!;
        var took = TimeSpan.Zero;
        // Each attempt bounded at 5 s a request: without the REJECT a request waits for its time-out, and no attempt is refused.
        var refused = async () =>
        {
            var clock = Stopwatch.StartNew();
            last = await inClient($"timeout 5 wget -qO- http://{vip}:8080/ 2>&1; timeout 5 wget -qO- http://web:8080/ 2>&1");
            took = clock.Elapsed;
            return Regex.Matches(last.Stdout, "Connection refused").Count == 2;
        };
        try { await Wait.UntilAsync(refused, TimeSpan.FromSeconds(20), $"both requests to web's virtual IP {vip} (no endpoints) refused"); }
        catch (TimeoutException e) { Assert.Fail($"{e.Message}; the last attempt ({took.TotalSeconds:0.0} s) said: {last}"); }
        Assert.True(took < TimeSpan.FromSeconds(4), $"two refused requests took {took.TotalSeconds:0.0} s: {last}");
        var published = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync("http://10.231.0.11:30080/"));
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, Assert.IsType<System.Net.Sockets.SocketException>(published.GetBaseException()).SocketErrorCode);
        Measurements.Record($"service network, no endpoints: two requests to the virtual IP (by address, by name) refused in {took.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// A host killed: once its node is Down its replicas leave the endpoints at once, no node's rules send anything to its
    /// subnet, and requests meanwhile replaced elsewhere all succeed. The host comes back for the next test.
    /// </summary>
    private async Task HostLossAsync(Func<string, Task<CommandResult>> inClient, HttpClient http)
    {
        Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("svc-web.yaml", Web(4, "2")))).ExitCode);
        var before = await ReadyEndpointsAsync(4);
        var perNode = before.Ready.GroupBy(e => e.Node).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(perNode.Count == 2, $"web's 4 replicas run on {string.Join(", ", perNode.Keys)}, not on both h2 and h3");
        var victim = cluster.Host(perNode.OrderBy(p => p.Value).ThenBy(p => p.Key).First().Key);
        var subnet = (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes"))!.Single(n => n.Name == victim.Name).Subnet;
        var prefix = subnet[..subnet.LastIndexOf('.')] + ".";
        await cluster.KillHostAsync(victim);
        try
        {
            await Wait.UntilAsync(async () => (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes"))!.Single(n => n.Name == victim.Name).State == NodeState.Down,
                TimeSpan.FromSeconds(60), $"{victim.Name} Down");
            var down = Stopwatch.StartNew();
            var endpoints = (await cluster.TryGetAsync<List<ServiceEndpoints>>("/api/v1/endpoints?namespace=default&service=web"))!.Single();
            Assert.DoesNotContain(endpoints.Ready, e => e.Node == victim.Name);
            // Still listed until replaced elsewhere, as "node down".
            Assert.All(endpoints.NotReady.Where(e => e.Node == victim.Name), e => Assert.Equal("node down", e.NotServing));
            var survivors = cluster.Hosts.Where(h => h != victim).Select(h => h.Name).ToList();
            await Wait.UntilAsync(async () =>
            {
                foreach (var host in survivors)
                    if ((await InHost(host, "iptables-save", "-t", "nat")).Stdout.Contains("--to-destination " + prefix)) return false;
                return true;
            }, TimeSpan.FromSeconds(5), $"no rule of {string.Join(", ", survivors)} sending to {victim.Name}'s subnet {subnet}");
            Measurements.Record($"service network, host {victim.Name} killed: out of every surviving node's rules {down.Elapsed.TotalSeconds:0.0} s after its node was seen Down");
            var events = await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events?namespace=default&service=web") ?? [];
            // "node down" (a warning); "replica removed" only if its replacement was placed before the control plane derived the view.
            Assert.Contains(events, e => e.Reason == "EndpointRemoved" && e.Message.Contains($" on {victim.Name}) left")
                && (e.Message.EndsWith(": node down") && e.Type == "Warning" || e.Message.EndsWith(": replica removed")));
            await NoFailedRequestAsync(inClient, http, $"the replacement of {victim.Name}'s replicas after it went Down",
                async () => await ReadyEndpointsAsync(4));
        }
        finally
        {
            await cluster.StartAgentAsync(victim);
        }
    }

    private async Task<ServiceEndpoints> ReadyEndpointsAsync(int ready)
    {
        ServiceEndpoints? found = null;
        await Wait.UntilAsync(async () =>
        {
            found = (await cluster.TryGetAsync<List<ServiceEndpoints>>("/api/v1/endpoints?namespace=default&service=web"))?.SingleOrDefault();
            if (found is not null) File.WriteAllText(Path.Combine(cluster.WorkDir, "endpoints-web.json"), Json.Serialize(found, indented: true));
            return found is { VirtualIp.Length: > 0 } && found.Ready.Count == ready && found.NotReady.Count == 0;
        }, TimeSpan.FromSeconds(60), $"web with a virtual IP and {ready} ready endpoint(s) (last seen in the test's log)");
        return found!;
    }

    private static async Task<CommandResult> InHost(string host, params string[] command) =>
        await ProcessRunner.RunAsync("nsenter", [$"--net=/var/run/netns/orc-{host}", .. command]);

    private static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static List<string> Ipv4s(string text) => Ipv4().Matches(text).Select(m => m.Value).ToList();

    [GeneratedRegex(@"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex Ipv4();
}
