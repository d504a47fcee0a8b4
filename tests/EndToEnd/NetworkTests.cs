using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>Three hosts whose agents run the cluster network (--network-mode host-gw): docs/networking.md.</summary>
/// Agents get nodes and endpoints pushed, and re-apply (or poll, when the push fails) every second.
public sealed class NetworkedHosts() : MultiHostCluster(3, agentFlags: ["--network-mode", "host-gw", "--network-interval", "00:00:01"]);

[CollectionDefinition(Name)]
public sealed class NetworkCollection : ICollectionFixture<NetworkedHosts>
{
    public const string Name = "Network";
}

[Trait("Category", "EndToEnd")]
[Collection(NetworkCollection.Name)]
public sealed class NetworkTests(NetworkedHosts cluster)
{
    [Fact]
    public async Task Each_node_holds_a_subnet_and_a_replica_reaches_replicas_on_other_hosts_by_ip()
    {
        // Every node holds its own /24 of the default cluster range, stored in its record.
        var nodes = (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes"))!;
        var subnets = cluster.Hosts.ToDictionary(h => h.Name, h => nodes.Single(n => n.Name == h.Name).Subnet);
        Assert.All(subnets.Values, s => Assert.Matches(@"^10\.240\.\d+\.0/24$", s));
        Assert.Equal(3, subnets.Values.Distinct().Count());

        var web = WebService("net-web", 3);
        try
        {
            Assert.Equal(0, (await cluster.Orc("apply", "-f", web)).ExitCode);
            // 3 replicas over 3 hosts: one per host; each has an IP in its own node's subnet, shown by -o wide.
            var ips = await RunningIpPerNodeAsync("net-web", 3);
            foreach (var (node, ip) in ips)
                Assert.True(Ipv4Subnet.Parse(subnets[node]).Contains(Ipv4Subnet.Parse(ip + "/32")), $"{node}'s replica has {ip}, outside {subnets[node]}");
            var wide = await cluster.Orc("get", "replicas", "--service", "net-web", "-o", "wide");
            Assert.All(ips.Values, ip => Assert.Contains(ip, wide.Stdout));

            // Real packets: from inside h1's replica to the replicas on h2 and h3, by their IPs.
            var h1 = cluster.Host("h1");
            var client = (await cluster.ContainersOnHostAsync(h1, "default", "net-web", runningOnly: true)).Single();
            foreach (var peer in new[] { "h2", "h3" })
            {
                var answer = await h1.Docker.ExecAsync(client.Id, "timeout", "5", "wget", "-qO-", $"http://{ips[peer]}:8080/");
                Assert.True(answer.ExitCode == 0 && answer.Stdout.Contains("hello from web v1"), $"h1's replica -> {peer}'s replica at {ips[peer]}: {answer}");
            }
            // Unmasqueraded: h1's rule that keeps replica-to-replica traffic as it is counted those connections.
            var nat = await InH1("iptables", "-t", "nat", "-L", "ORC-POSTROUTING", "-n", "-v", "-x");
            var counted = nat.Stdout.Split('\n').Where(l => l.Contains("ACCEPT")).Sum(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
            Assert.True(counted >= 2, $"ORC-POSTROUTING on h1 counted {counted} connections, wanted >= 2:\n{nat}");
        }
        finally
        {
            await cluster.Orc("delete", "service", "net-web");
        }
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "net-web") == 0, TimeSpan.FromSeconds(30), "net-web gone");
    }

    [Fact]
    public async Task A_restarted_agent_rewrites_its_chains_and_drops_routes_it_did_not_want()
    {
        var h1 = cluster.Host("h1");
        var nodes = (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes"))!;
        var wanted = nodes.Where(n => n.Name != "h1").Select(n => $"{n.Subnet} via {n.Address}").Order().ToList();
        // The agent has written its chain once (run alone, this test may start before its first pass).
        await Wait.UntilAsync(async () => (await ProcessRunner.RunAsync("nsenter", ["--net=/var/run/netns/orc-h1", "iptables", "-S", "ORC-FORWARD"])).ExitCode == 0,
            TimeSpan.FromSeconds(20), "h1's agent to write ORC-FORWARD");
        // Left behind by an earlier run: a route of ours to a node that no longer exists, and a rule in our chain.
        await InH1("ip", "-4", "route", "add", "10.240.250.0/24", "via", "10.231.0.13", "proto", "240");
        await InH1("iptables", "-A", "ORC-FORWARD", "-s", "10.240.250.0/24", "-j", "ACCEPT");

        await cluster.StopAgentAsync(h1);
        await cluster.JoinAsync(h1);

        await Wait.UntilAsync(async () =>
        {
            var routes = (await InH1("ip", "-4", "route", "show", "proto", "240")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3))).Order().ToList();
            var rules = (await InH1("iptables", "-S", "ORC-FORWARD")).Stdout;
            return routes.SequenceEqual(wanted) && !rules.Contains("10.240.250.0/24");
        }, TimeSpan.FromSeconds(20), $"h1's routes of protocol 240 to be exactly {string.Join(", ", wanted)} and ORC-FORWARD without the stale rule");
    }

    [Fact]
    public async Task In_vxlan_mode_replicas_on_two_hosts_reach_each_other_through_the_tunnel_and_host_gw_removes_it_again()
    {
        // A mode switch on this cluster (no cluster of its own): h1 and h3 go vxlan, h2 stays host-gw and is left out.
        var (h1, h3) = (cluster.Host("h1"), cluster.Host("h3"));
        var nodes = (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes"))!;
        var h3Subnet = nodes.Single(n => n.Name == "h3").Subnet;
        var web = WebService("vx-web", 2, "h1, h3");
        try
        {
            await Task.WhenAll(cluster.RestartAgentAsync(h1, "--network-mode", "vxlan"), cluster.RestartAgentAsync(h3, "--network-mode", "vxlan"));
            // The device as flannel's vxlan backend makes it, and h3's subnet routed through it (not via h3's address).
            await Wait.UntilAsync(async () =>
            {
                var device = await InHost(1, false, "ip", "-d", "-o", "link", "show", "orc-vxlan");
                var routes = (await InHost(1, true, "ip", "-4", "route", "show", "proto", "240")).Stdout;
                return device.Stdout.Contains("vxlan id 240 local 10.231.0.11 ") && device.Stdout.Contains("dstport 4789")
                    && routes.Contains($"{h3Subnet} via {h3Subnet[..^3]} dev orc-vxlan");
            }, TimeSpan.FromSeconds(20), $"h1's agent to make orc-vxlan and route {h3Subnet} through it");
            var neighbours = (await InHost(1, true, "ip", "neigh", "show", "dev", "orc-vxlan")).Stdout;
            Assert.Contains($"{h3Subnet[..^3]} lladdr ", neighbours);
            var forwarding = (await InHost(1, true, "bridge", "fdb", "show", "dev", "orc-vxlan")).Stdout;
            Assert.Contains("dst 10.231.0.13 self permanent", forwarding);

            Assert.Equal(0, (await cluster.Orc("apply", "-f", web)).ExitCode);
            var ips = await RunningIpPerNodeAsync("vx-web", 2);

            // Real packets, h1's replica -> h3's replica and back, counted by h1's tunnel device.
            var sent = TunnelPackets((await InHost(1, true, "ip", "-s", "-o", "link", "show", "orc-vxlan")).Stdout);
            var client = (await cluster.ContainersOnHostAsync(h1, "default", "vx-web")).Single();
            var answer = await h1.Docker.ExecAsync(client.Id, "timeout", "5", "wget", "-qO-", $"http://{ips["h3"]}:8080/");
            Assert.True(answer.ExitCode == 0 && answer.Stdout.Contains("hello from web v1"), $"h1's replica -> h3's replica at {ips["h3"]} through orc-vxlan: {answer}");
            var after = TunnelPackets((await InHost(1, true, "ip", "-s", "-o", "link", "show", "orc-vxlan")).Stdout);
            Assert.True(after.Tx > sent.Tx && after.Rx > sent.Rx, $"orc-vxlan on h1 carried nothing: tx {sent.Tx} -> {after.Tx}, rx {sent.Rx} -> {after.Rx}");
        }
        finally
        {
            await cluster.Orc("delete", "service", "vx-web");
            // Back to host-gw (the collection's mode): the device goes, the routes are via the peers' addresses again.
            await Task.WhenAll(cluster.RestartAgentAsync(h1), cluster.RestartAgentAsync(h3));
        }
        await Wait.UntilAsync(async () =>
        {
            var device = await InHost(1, false, "ip", "link", "show", "orc-vxlan");
            var routes = (await InHost(1, true, "ip", "-4", "route", "show", "proto", "240")).Stdout;
            return device.ExitCode != 0 && routes.Contains($"{h3Subnet} via 10.231.0.13 ") && !routes.Contains("orc-vxlan");
        }, TimeSpan.FromSeconds(20), "h1 back in host-gw: no orc-vxlan, h3's subnet via 10.231.0.13");
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "vx-web") == 0, TimeSpan.FromSeconds(30), "vx-web gone");
    }

    /// <summary>Waits until <paramref name="nodes"/> nodes each run a replica of the service with an IP; node -> that IP.</summary>
    private async Task<Dictionary<string, string>> RunningIpPerNodeAsync(string service, int nodes)
    {
        var ips = new Dictionary<string, string>();
        await Wait.UntilAsync(async () =>
        {
            var replicas = await cluster.TryGetAsync<List<ReplicaView>>($"/api/v1/replicas?service={service}") ?? [];
            ips = replicas.Where(r => r.Status is { State: ReplicaState.Running, Ip: not null })
                .GroupBy(r => r.Replica.Node).ToDictionary(g => g.Key, g => g.First().Status!.Ip!);
            return ips.Count == nodes;
        }, TimeSpan.FromSeconds(30), $"a running {service} replica with an IP on {nodes} nodes");
        return ips;
    }

    /// <summary>local/web:1 on 8080, on the hosts named (all when none), written into the run's folder.</summary>
    private string WebService(string name, int replicas, string hosts = "") => cluster.Manifest(name + ".yaml", $$"""
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: {{name}}}
        spec:
          image: local/web:1
          replicas: {{replicas}}
          resources: {cpu: 10m, memory: 16Mi}
          ports:
            - containerPort: 8080
        {{(hosts.Length == 0 ? "" : $"  placement:\n    constraints:\n      - {{key: node.name, operator: In, values: [{hosts}]}}")}}
        """);

    /// <summary>The RX and TX packet counts of `ip -s -o link show DEV`.</summary>
    private static (long Rx, long Tx) TunnelPackets(string stats)
    {
        var m = System.Text.RegularExpressions.Regex.Match(stats, @"RX:[^\\]*\\\s+\d+\s+(\d+).*TX:[^\\]*\\\s+\d+\s+(\d+)");
        Assert.True(m.Success, $"no RX/TX counters in: {stats}");
        return (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value));
    }

    private static Task<CommandResult> InH1(params string[] command) => InHost(1, true, command);

    private static async Task<CommandResult> InHost(int index, bool mustSucceed, params string[] command)
    {
        var result = await ProcessRunner.RunAsync("nsenter", [$"--net=/var/run/netns/orc-h{index}", .. command]);
        Assert.True(!mustSucceed || result.ExitCode == 0, $"{string.Join(' ', command)} in h{index}: {result}");
        return result;
    }
}
