using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>`orc logs` and `orc top` on a one-machine cluster: the lines the containers print, and the engine's stats.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class LogsAndTopTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private const string ChattyYaml = """
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: chatty}
        spec:
          image: local/busybox:1
          command: ["sh", "-c", "echo hello-$HOSTNAME; i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done"]
          replicas: 2
          resources: {cpu: 100m, memory: 16Mi}
        """;

    [GeneratedRegex(@"^chatty\.(\d)\.(\S+) \| (.*)$")]
    private static partial Regex PrefixedLine();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs `orc ARGS` until its output matches <paramref name="pattern"/>; a timeout shows the last output.</summary>
    private async Task<CommandResult> UntilPrintedAsync(string[] args, string pattern)
    {
        CommandResult last = null!;
        try
        {
            await Wait.UntilAsync(async () => Regex.IsMatch((last = await cluster.Orc(args)).Stdout, pattern), Within,
                $"orc {string.Join(' ', args)} to print {pattern}", TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; it printed last:\n{last}", e);
        }
        return last;
    }

    [Fact]
    public async Task Logs_of_every_replica_one_replica_the_tail_and_a_follow_then_top_of_nodes_and_services()
    {
        Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("chatty.yaml", ChattyYaml))).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/chatty")).Count == 2, Within, "2 running chatty containers");
        var containers = await cluster.RunningContainersAsync("default/chatty");

        // Every replica's lines, each prefixed with the replica's name; $HOSTNAME is the container's short id.
        CommandResult logs = null!;
        await Wait.UntilAsync(async () =>
        {
            logs = await cluster.Orc("logs", "chatty");
            return logs.ExitCode == 0 && containers.All(c => logs.Stdout.Contains($"| hello-{c.Id[..12]}"));
        }, Within, "orc logs chatty to show both replicas' first line");
        Assert.All(Lines(logs.Stdout), l => Assert.Matches(PrefixedLine(), l));
        Assert.Contains(Lines(logs.Stdout), l => PrefixedLine().Match(l).Groups[3].Value.StartsWith("tick ", StringComparison.Ordinal));
        foreach (var c in containers)
            Assert.Contains(Lines(logs.Stdout), l => l.StartsWith(c.Name + " | ", StringComparison.Ordinal) && l.EndsWith($"hello-{c.Id[..12]}"));

        // One replica, by a prefix of its id: its own lines, without prefixes.
        var one = containers[0];
        var own = await cluster.Orc("logs", "chatty", "--replica", one.ReplicaId[..4]);
        Assert.True(own.ExitCode == 0, own.ToString());
        Assert.Equal($"hello-{one.Id[..12]}", Lines(own.Stdout)[0]);
        Assert.All(Lines(own.Stdout).Skip(1), l => Assert.Matches(@"^tick \d+$", l));

        // --tail 1: the last line only.
        var tail = await cluster.Orc("logs", "chatty", "--replica", one.Name, "--tail", "1");
        Assert.True(tail.ExitCode == 0, tail.ToString());
        Assert.Matches(@"^tick \d+$", Assert.Single(Lines(tail.Stdout)));

        // --follow with --tail 1: one old line, then the ones printed while it runs (one a second).
        var follow = await cluster.OrcFor(TimeSpan.FromSeconds(8), "logs", "chatty", "-r", one.ReplicaId, "--tail", "1", "--follow");
        var ticks = Lines(follow.Stdout).Select(l => int.Parse(Regex.Match(l, @"^tick (\d+)$").Groups[1].Value)).ToList();
        Assert.True(ticks.Count >= 3, follow.ToString());
        Assert.Equal(Enumerable.Range(ticks[0], ticks.Count), ticks);
        Assert.Equal(-1, follow.ExitCode); // still following when it was stopped

        // Errors name what is wrong.
        var noService = await cluster.Orc("logs", "nope");
        Assert.Equal((1, "error: service \"default/nope\" not found\n"), (noService.ExitCode, noService.Stderr));
        var noReplica = await cluster.Orc("logs", "chatty", "--replica", "zzzz");
        Assert.Equal(1, noReplica.ExitCode);
        Assert.Contains("replica \"zzzz\" of service \"default/chatty\" not found; its replicas are chatty.1.", noReplica.Stderr);

        // top: the node with its use against its capacity, the service with its two replicas. Stats are a moment's
        // sample (and a loaded engine may miss the 5 s an agent gets), so a wrong answer is asked again, not at once fatal.
        var nodes = await UntilPrintedAsync(["top", "nodes"], $@"(?m)^{cluster.NodeName}\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s+2$");
        Assert.True(nodes.ExitCode == 0, nodes.ToString());
        Assert.Matches(@"^NAME\s+CPU\(cores\)\s+CPU%\s+MEMORY\(bytes\)\s+MEMORY%\s+REPLICAS$", Lines(nodes.Stdout)[0]);

        var services = await UntilPrintedAsync(["top", "services"], @"(?m)^default\s+chatty\s+2\s+\d+m\s+\d+Mi$");
        Assert.True(services.ExitCode == 0, services.ToString());
        Assert.Equal("NAMESPACE   NAME     REPLICAS   CPU(cores)   MEMORY(bytes)", Lines(services.Stdout)[0]);
        Assert.DoesNotContain(cluster.NodeName, services.Stderr);
    }

    [Fact]
    public async Task A_node_whose_agent_cannot_be_reached_is_named_with_its_address()
    {
        // A node that registers and heartbeats but has no agent behind its URL.
        var ghostUrl = $"https://127.0.0.1:{Ports.Free()}";
        var registration = new NodeRegistration
        {
            Labels = new() { ["disk"] = "ghost" },
            Capacity = new NodeCapacity { MilliCpu = 1000, MemoryBytes = 1L << 30 },
            Address = "127.0.0.1",
            AgentUrl = ghostUrl,
            AgentCertificateSha256 = new string('a', 64),
            AgentSession = "ghost-session",
        };
        (await cluster.Http.PutAsJsonAsync("/api/v1/nodes/ghost", registration, Json.Options)).EnsureSuccessStatusCode();
        using var stop = new CancellationTokenSource();
        var heartbeats = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await cluster.Http.PostAsJsonAsync("/api/v1/nodes/ghost/heartbeat", new NodeHeartbeat { AgentSession = "ghost-session" }, Json.Options);
                try { await Task.Delay(500, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        try
        {
            var bad = await cluster.Http.PutAsJsonAsync("/api/v1/nodes/ghost2", registration with { AgentUrl = "ftp://x" }, Json.Options);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("agentUrl \"ftp://x\" is invalid", (await bad.Content.ReadFromJsonAsync<ApiError>(Json.Options))!.Error);

            var manifest = cluster.Manifest("haunted.yaml", SleepService.Yaml("haunted", 1, "    nodeSelector: {disk: ghost}"));
            Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);
            await Wait.UntilAsync(async () => (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?service=haunted"))?.Count == 1,
                Within, "the haunted replica placed on the ghost node");

            var logs = await cluster.Orc("logs", "haunted");
            Assert.Equal(1, logs.ExitCode);
            Assert.Contains($"cannot reach the agent of node ghost at {ghostUrl}", logs.Stderr);

            var top = await cluster.Orc("top", "nodes");
            Assert.True(top.ExitCode == 0, top.ToString());
            Assert.Matches(@"(?m)^ghost\s+<unknown>\s+<unknown>\s+<unknown>\s+<unknown>\s+<unknown>$", top.Stdout);
            Assert.Matches($@"(?m)^{cluster.NodeName}\s+\d+m\s+\d+%", top.Stdout);
            Assert.Contains($"warning: no stats from node ghost: cannot reach the agent of node ghost at {ghostUrl}", top.Stderr);

            Assert.Equal(0, (await cluster.Orc("delete", "-f", manifest)).ExitCode);
        }
        finally
        {
            // Cordoned, the ghost takes nothing the other test of this cluster applies.
            await cluster.Http.PutAsync("/api/v1/nodes/ghost/cordon", null);
            await stop.CancelAsync();
            await heartbeats;
        }
    }
}
