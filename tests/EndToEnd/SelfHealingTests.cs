using System.Diagnostics;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Machines fail on three real hosts (network namespaces, one dockerd each): a host dies, a host is cut off and
/// comes back while the control plane itself crashes, a host is drained. The engines are the ground truth.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(MultiHostCollection.Name)]
[TestCaseOrderer(OrderFromEnvironment.TypeName, OrderFromEnvironment.AssemblyName)]
public sealed class SelfHealingTests(MultiHostCluster cluster)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(15);

    private string SleepService(string name, int replicas = 6) =>
        cluster.Manifest($"{name}.yaml", Infrastructure.SleepService.Yaml(name, replicas));

    private async Task AllNodesReadyAsync() =>
        await Wait.UntilAsync(async () =>
            (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes")) is { } nodes
            && nodes.Count == cluster.Hosts.Count && nodes.All(n => n.State == NodeState.Ready && !n.Cordoned),
            TimeSpan.FromSeconds(60), "every node Ready");

    private async Task<IReadOnlyDictionary<string, int>> SpreadAsync(string service)
    {
        await Wait.UntilAsync(async () => (await cluster.CountRunningAsync("default", service)) == 6, TimeSpan.FromSeconds(30), $"6 running {service}");
        return await cluster.RunningPerHostAsync("default", service);
    }

    private async Task<int> RunningOnAsync(string service, params TestHost[] hosts)
    {
        var sum = 0;
        foreach (var h in hosts) sum += (await cluster.ContainersOnHostAsync(h, "default", service)).Count;
        return sum;
    }

    /// <summary>The process exists and is not a zombie waiting to be reaped.</summary>
    private static bool ProcessRuns(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z'); }
        catch (IOException) { return false; }
    }

    private async Task<DateTimeOffset?> FirstEventAsync(string reason, string obj, DateTimeOffset after) =>
        (await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events"))?
            .FirstOrDefault(e => e.Reason == reason && e.Object == obj && e.Time >= after)?.Time;

    [Fact]
    public async Task A_dead_host_is_replaced_on_the_survivors_within_15_seconds()
    {
        await AllNodesReadyAsync();
        // This test's own window and nodes: the shared fixture's history also holds the other tests' partitions.
        var since = DateTimeOffset.UtcNow;
        Assert.Equal(0, (await cluster.Orc("apply", "-f", SleepService("survive"))).ExitCode);
        var spread = await SpreadAsync("survive");
        Assert.All(cluster.Hosts, h => Assert.Equal(2, spread.GetValueOrDefault(h.Name)));
        // While the service was placed and started on every host, no node was taken for dead.
        var ours = cluster.Hosts.Select(h => $"Node/{h.Name}").ToHashSet();
        var falseAlarms = (await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events"))!
            .Where(e => e.Reason is "NodeNotReady" or "NodeDown" && e.Time >= since && ours.Contains(e.Object)).ToList();
        Assert.Empty(falseAlarms);

        var (h1, h2, h3) = (cluster.Hosts[0], cluster.Hosts[1], cluster.Hosts[2]);
        var doomed = (await cluster.ContainersOnHostAsync(h3, "default", "survive")).Select(c => c.Pid).ToList();
        Assert.Equal(2, doomed.Count(p => p > 0));
        var killedAt = DateTimeOffset.UtcNow;
        try
        {
            var clock = Stopwatch.StartNew();
            await cluster.KillHostAsync(h3);
            // The machine is gone, and so are its containers: none of their processes runs on (a containerd outside
            // the host would have kept them).
            await Wait.UntilAsync(() => Task.FromResult(!doomed.Any(ProcessRuns)), TimeSpan.FromSeconds(5),
                $"the killed host's container processes ({string.Join(", ", doomed)}) to be gone");
            await Wait.UntilAsync(async () => await RunningOnAsync("survive", h1, h2) == 6, Recovery, "6 running on the two survivors");
            var recovered = clock.Elapsed;

            var down = await FirstEventAsync("NodeDown", $"Node/{h3.Name}", killedAt);
            Measurements.Record($"host killed: NodeDown after {(down - killedAt)?.TotalSeconds:0.0} s, 6 running on the survivors after {recovered.TotalSeconds:0.0} s");
            Assert.Contains("Down", (await cluster.Orc("get", "nodes")).Stdout);
        }
        finally
        {
            // The host comes back: nothing of ours survived its engine's death, and it takes work again.
            await cluster.StartAgentAsync(h3);
        }
        await AllNodesReadyAsync();
        Assert.Equal(6, await cluster.CountRunningAsync("default", "survive"));
        Assert.Equal(0, (await cluster.Orc("delete", "service", "survive")).ExitCode);
    }

    [Fact]
    public async Task A_partitioned_host_is_replaced_and_after_healing_exactly_six_run_even_across_a_control_plane_crash()
    {
        await AllNodesReadyAsync();
        Assert.Equal(0, (await cluster.Orc("apply", "-f", SleepService("split"))).ExitCode);
        await SpreadAsync("split");
        var (h1, h2, h3) = (cluster.Hosts[0], cluster.Hosts[1], cluster.Hosts[2]);

        var healed = false;
        try
        {
            var cutAt = Stopwatch.StartNew();
            await cluster.PartitionAsync(h2);
            await Wait.UntilAsync(async () => await RunningOnAsync("split", h1, h3) == 6, Recovery, "6 running on the reachable hosts");
            var replacedAfter = cutAt.Elapsed;
            // The cut-off host keeps running its replicas (no mass stop when the control plane is out of reach).
            Assert.Equal(2, await RunningOnAsync("split", h2));

            // The control plane crashes and comes back during the partition.
            cluster.KillControlPlane();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await cluster.StartControlPlaneAsync();

            var remaining = TimeSpan.FromSeconds(30) - cutAt.Elapsed;
            if (remaining > TimeSpan.Zero) await Task.Delay(remaining);
            var healedAt = Stopwatch.StartNew();
            await cluster.HealAsync(h2);
            healed = true;
            await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "split") == 6, Recovery,
                "exactly 6 running in the whole cluster after healing");
            var convergedAfter = healedAt.Elapsed;

            // ... and it stays at 6: sampled for 8 s, never more.
            for (var i = 0; i < 40; i++)
            {
                Assert.Equal(6, await cluster.CountRunningAsync("default", "split"));
                await Task.Delay(200);
            }
            var replicas = await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=split");
            Assert.Equal(6, replicas!.Count);
            Measurements.Record($"host partitioned: 6 running elsewhere after {replacedAfter.TotalSeconds:0.0} s; healed after 30 s: exactly 6 in the cluster after {convergedAfter.TotalSeconds:0.0} s (control plane killed and restarted meanwhile)");
        }
        finally
        {
            // The shared hosts are left connected for the next test, whatever happened.
            if (!healed) await cluster.HealAsync(h2);
        }
        await AllNodesReadyAsync();
        Assert.Equal(0, (await cluster.Orc("delete", "service", "split")).ExitCode);
    }

    [Fact]
    public async Task Drain_moves_every_replica_off_the_node_without_running_fewer_than_asked()
    {
        await AllNodesReadyAsync();
        Assert.Equal(0, (await cluster.Orc("apply", "-f", SleepService("move"))).ExitCode);
        await SpreadAsync("move");
        var h1 = cluster.Hosts[0];

        try
        {
            // Every start and death on the three engines, not samples: a dip shorter than a sampling period counts.
            await using var counted = await RunningCountLog.StartAsync(cluster.Hosts.Select(h => h.Docker), cluster.RunId, "default/move");
            var drain = await cluster.Orc("node", "drain", h1.Name, "--timeout", "00:01:00");
            var (lowest, highest) = await counted.MinMaxAsync();

            Assert.True(drain.ExitCode == 0, drain.ToString());
            Assert.Contains($"node/{h1.Name} drained", drain.Stdout);
            Assert.Equal(0, await RunningOnAsync("move", h1));
            Assert.Equal(6, await cluster.CountRunningAsync("default", "move"));
            Assert.True(lowest >= 6, $"running dropped to {lowest} during the drain");
            Measurements.Record($"drain of 2 of 6 replicas: running between {lowest} and {highest} at every container start and death (docker events)");
            Assert.Contains("SchedulingDisabled", (await cluster.Orc("get", "nodes")).Stdout);
        }
        finally
        {
            // Whatever happened, the shared hosts are left schedulable for the next test.
            await cluster.Orc("node", "uncordon", h1.Name);
        }
        Assert.Equal(0, (await cluster.Orc("delete", "service", "move")).ExitCode);
    }

    [Fact]
    public async Task An_agent_whose_dockerd_restarts_under_it_runs_its_replicas_again()
    {
        await AllNodesReadyAsync();
        Assert.Equal(0, (await cluster.Orc("apply", "-f", SleepService("engine"))).ExitCode);
        await SpreadAsync("engine");
        var h2 = cluster.Hosts[1];
        var before = (await cluster.ContainersOnHostAsync(h2, "default", "engine")).Select(c => c.Id).ToHashSet();
        Assert.Equal(2, before.Count);

        var clock = Stopwatch.StartNew();
        var stoppedAt = DateTimeOffset.UtcNow;
        await cluster.RestartEngineAsync(h2);

        // They stopped with their engine (the agent sets no engine restart policy): running again means started
        // again after the stop, by the agent.
        await Wait.UntilAsync(async () => (await cluster.ContainersOnHostAsync(h2, "default", "engine")) is { Count: 2 } again
            && again.All(c => c.StartedAt > stoppedAt), Recovery, "the agent to run h2's 2 replicas again on its restarted engine");
        Measurements.Record($"dockerd restarted under its agent: its 2 replicas running again {clock.Elapsed.TotalSeconds:0.0} s after the stop began");
        // Brought back where they were, not replaced elsewhere: 6 in all, 2 on each host.
        var spread = await cluster.RunningPerHostAsync("default", "engine");
        Assert.All(cluster.Hosts, h => Assert.Equal(2, spread[h.Name]));
        Assert.Equal(0, (await cluster.Orc("delete", "service", "engine")).ExitCode);
    }

    [Fact]
    public async Task A_container_whose_liveness_probe_fails_is_restarted()
    {
        await AllNodesReadyAsync();
        // Healthy for about 3 s, then the probed file is gone.
        var manifest = cluster.Manifest("sick.yaml", """
            apiVersion: orchestrator/v1
            kind: Service
            metadata: {name: sick}
            spec:
              image: local/busybox:1
              command: ["sh", "-c", "touch /tmp/healthy; sleep 3; rm /tmp/healthy; sleep 3600"]
              replicas: 1
              livenessProbe:
                exec: {command: ["test", "-f", "/tmp/healthy"]}
                periodSeconds: 1
                failureThreshold: 2
            """);
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);

        await Wait.UntilAsync(async () =>
            (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=sick"))?.SingleOrDefault()?.Status is { RestartCount: >= 1 },
            TimeSpan.FromSeconds(30), "the replica restarted after its liveness probe failed");
        await Wait.UntilAsync(async () =>
            (await cluster.TryGetAsync<List<ClusterEvent>>("/api/v1/events?namespace=default&service=sick"))!.Any(e => e.Reason == "Unhealthy"),
            TimeSpan.FromSeconds(10), "the Unhealthy event");
        Assert.Equal(0, (await cluster.Orc("delete", "service", "sick")).ExitCode);
    }
}
