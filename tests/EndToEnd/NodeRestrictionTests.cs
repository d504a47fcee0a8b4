using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Nodes are themselves only, on the 3-host testbed (each agent joined with a join token, as an operator starts it):
/// an agent without a join token cannot register; h1's own credential, read from h1's state directory, is refused h2's
/// assignments, a status of h2's replica and a heartbeat as h2 (each a warning event naming h1); a node that announces
/// 10^8 cores under a fresh name without a token is refused and never receives a replica.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(MultiHostCollection.Name)]
public sealed class NodeRestrictionTests(MultiHostCluster cluster)
{
    [Fact]
    public async Task A_node_acts_only_as_itself_and_nothing_joins_without_a_token()
    {
        // Replicas pinned to h2 (zone=b), and a spread service to scale while the fake node asks for work.
        Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("restricted.yaml",
            SleepService.Yaml("only-h2", 1, "    nodeSelector: {zone: b}")))).ExitCode);
        var onH2 = await WaitForReplicaAsync("only-h2", "h2");

        // A real agent without a join token: its registration is refused (401) and no node appears.
        var intruderLog = Path.Combine(cluster.WorkDir, "intruder-agent.log");
        using (var intruder = ProcessRunner.StartDaemon("dotnet",
        [
            Repo.Program("NodeAgent", "Orchestrator.NodeAgent.dll"), "--api", cluster.ApiUrl, "--node-name", "intruder",
            "--cluster", cluster.RunId + "-intruder", "--docker", cluster.Host("h1").DockerSocket,
            "--listen", $"https://127.0.0.1:{Ports.Free()}", "--state-dir", Path.Combine(cluster.WorkDir, "intruder-state"),
            .. cluster.Tls.AgentArgs,
        ], intruderLog))
        {
            await Wait.UntilAsync(() => Task.FromResult(File.Exists(intruderLog) && File.ReadAllText(intruderLog).Contains("401")),
                TimeSpan.FromSeconds(30), $"the intruding agent to be refused with 401 (see {intruderLog})");
            ProcessRunner.Stop(intruder);
        }
        Assert.DoesNotContain(await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes") ?? [], n => n.Name == "intruder");

        // h1's own credential, as a compromised h1 would use it.
        var h1 = File.ReadAllText(Path.Combine(cluster.WorkDir, "testbed", "h1", "state", "node.credential")).Trim();
        using var http = cluster.Tls.ApiClient(cluster.ApiUrl, TimeSpan.FromSeconds(10));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", h1);
        var status = Json.Serialize(new NodeStatusReport
        {
            Replicas = [new ReplicaStatus { ReplicaId = onH2.Id, Service = onH2.Service, Node = "h1", State = ReplicaState.Failed }],
        });
        using (var own = await http.PostAsync("/api/v1/nodes/h1/heartbeat", Body("{}"))) Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using (var assignments = await http.GetAsync("/api/v1/nodes/h2/assignments", HttpCompletionOption.ResponseHeadersRead))
            Assert.Equal(HttpStatusCode.Forbidden, assignments.StatusCode);
        using (var report = await http.PostAsync("/api/v1/nodes/h1/status", Body(status))) Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);
        using (var heartbeat = await http.PostAsync("/api/v1/nodes/h2/heartbeat", Body("{}"))) Assert.Equal(HttpStatusCode.Forbidden, heartbeat.StatusCode);
        var replica = (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?service=only-h2"))!.Single();
        Assert.NotEqual(ReplicaState.Failed, replica.Status?.State);
        var events = await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events") ?? [];
        Assert.True(events.Count(e => e is { Reason: "Forbidden", Object: "Node/h1" }) >= 3,
            "three Forbidden events naming h1: " + string.Join("; ", events.Where(e => e.Reason == "Forbidden").Select(e => e.Message)));

        // A node with 10^8 cores under a fresh name, no token: refused, and a scale places nothing on it.
        using var anonymous = cluster.Tls.ApiClient(cluster.ApiUrl, TimeSpan.FromSeconds(10));
        var evil = Json.Serialize(new NodeRegistration
        {
            Capacity = new NodeCapacity { MilliCpu = 100_000_000_000, MemoryBytes = 1L << 50 },
            AgentSession = "evil",
        });
        using (var register = await anonymous.PutAsync("/api/v1/nodes/evil", Body(evil))) Assert.Equal(HttpStatusCode.Unauthorized, register.StatusCode);
        using (var beat = await anonymous.PostAsync("/api/v1/nodes/evil/heartbeat", Body("{}"))) Assert.Equal(HttpStatusCode.Unauthorized, beat.StatusCode);
        Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("many.yaml", SleepService.Yaml("many", 6)))).ExitCode);
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "many") == 6, TimeSpan.FromSeconds(30), "6 running replicas of many");
        var placed = (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?service=many"))!;
        Assert.All(placed, r => Assert.Contains(r.Replica.Node, new[] { "h1", "h2", "h3" }));
        Assert.DoesNotContain(await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes") ?? [], n => n.Name == "evil");

        foreach (var service in new[] { "svc/only-h2", "svc/many" }) Assert.Equal(0, (await cluster.Orc("delete", service, "--wait")).ExitCode);
    }

    private async Task<Replica> WaitForReplicaAsync(string service, string node)
    {
        Replica? found = null;
        await Wait.UntilAsync(async () =>
        {
            var replicas = await cluster.TryGetAsync<List<ReplicaView>>($"/api/v1/replicas?service={service}");
            found = replicas?.Select(r => r.Replica).FirstOrDefault(r => r.Node == node);
            return found is not null;
        }, TimeSpan.FromSeconds(30), $"a replica of {service} on {node}");
        return found!;
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}
