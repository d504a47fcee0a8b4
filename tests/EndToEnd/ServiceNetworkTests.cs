using System.Diagnostics;
using System.Text.RegularExpressions;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Services on the cluster network (docs/networking.md): names, the virtual IP balanced in the kernel of every node,
/// the published port on every node, readiness-driven endpoints, and no failed request through a rolling update and a
/// scale-down (not yet). `web` runs only on h2 and h3; its client runs on h1.
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
          command: [sleep, "3600"]
          replicas: 1
          resources: {cpu: 10m, memory: 16Mi}
          placement:
            nodeSelector: {node.name: h1}
        """;

    [Fact]
    public async Task A_service_is_reached_by_name_balanced_over_ready_replicas_published_on_every_node_and_updated_without_a_failed_request()
    {
        var h1 = cluster.Host("h1");
        try
        {
            Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("svc-web.yaml", Web(3, "1")), "-f", cluster.Manifest("svc-client.yaml", Client))).ExitCode);
            var endpoints = await ReadyEndpointsAsync(3);
            Assert.Matches(@"^10\.241\.\d+\.\d+$", endpoints.VirtualIp);
            Assert.All(endpoints.Ready, e => Assert.Contains(e.Node, new[] { "h2", "h3" }));
            var table = await cluster.Orc("get", "endpoints", "web");
            Assert.Contains(endpoints.VirtualIp, table.Stdout);
            Assert.All(endpoints.Ready, e => Assert.Contains(e.Ip, table.Stdout));

            string client = "";
            await Wait.UntilAsync(async () =>
            {
                client = (await cluster.ContainersOnHostAsync(h1, "default", "client")).FirstOrDefault()?.Id ?? "";
                return client.Length > 0;
            }, TimeSpan.FromSeconds(30), "the client running on h1");
            async Task<CommandResult> InClient(string script) => await h1.Docker.ExecAsync(client, "sh", "-c", script);

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
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            var published = new List<string>();
            for (var i = 0; i < 20; i++) published.Add((await http.GetStringAsync("http://10.231.0.11:30080/")).Trim());
            Assert.Subset(answered.ToHashSet(), published.ToHashSet());
            Assert.True(published.Distinct().Count() >= 2, $"published port answered only from {string.Join(", ", published.Distinct())}");

            await ReadinessDrivesEndpointsAsync(endpoints, InClient);
            await NoFailedRequestAsync(InClient, http, vip, "a rolling update", async () =>
            {
                Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("svc-web.yaml", Web(3, "2")))).ExitCode);
                await Wait.UntilAsync(async () => (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?service=web") ?? [])
                    is var rs && rs.Count == 3 && rs.All(r => r.Replica.Container.Env.GetValueOrDefault("VERSION") == "2" && r.Status is { Ready: true }),
                    TimeSpan.FromSeconds(90), "web's rolling update to VERSION=2");
            });
            // A scale-down through the loop was seen with 0 failed of 27 requests, too few for the 50 asked here; a drain and a
            // host loss are not run yet (docs/networking.md, "Not built yet").
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

    /// <summary>
    /// Requests without pause through the virtual IP (from the client on h1) and through the published port (from this
    /// machine to h1) while <paramref name="change"/> happens: not one may fail.
    /// </summary>
    private static async Task NoFailedRequestAsync(Func<string, Task<CommandResult>> inClient, HttpClient http, string vip, string what, Func<Task> change)
    {
        await inClient("rm -f /tmp/loop.log /tmp/stop; (while [ ! -f /tmp/stop ]; do if timeout 3 wget -qO- http://" + vip + ":8080/ >/dev/null; then echo ok; else echo FAIL; fi; done > /tmp/loop.log 2>&1 &)");
        var publishedOk = 0;
        var publishedFailed = new List<string>();
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await http.GetStringAsync("http://10.231.0.11:30080/");
                    publishedOk++;
                }
                catch (Exception e) { publishedFailed.Add(e.GetBaseException().Message); }
            }
        });
        await change();
        stop.Cancel();
        await loop;
        await inClient("touch /tmp/stop; sleep 1");
        var log = Lines((await inClient("cat /tmp/loop.log")).Stdout);
        var failed = log.Count(l => l != "ok");
        Assert.True(failed == 0 && log.Count >= 50, $"{what}: {failed} of {log.Count} requests through the virtual IP failed");
        Assert.True(publishedFailed.Count == 0 && publishedOk >= 50,
            $"{what}: {publishedFailed.Count} of {publishedOk + publishedFailed.Count} requests through the published port failed: {string.Join("; ", publishedFailed.Distinct())}");
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
