using Microsoft.Extensions.Logging;

namespace Orchestrator.NodeAgent.Network;

/// <summary>The engine's side of the cluster network: the Docker bridge replicas join.</summary>
public interface IClusterBridge
{
    /// <summary>Makes sure the Docker network of <paramref name="plan"/> exists on its subnet (recreated when it was on another one).</summary>
    Task EnsureBridgeAsync(NetworkPlan plan, CancellationToken ct);
}

/// <summary>
/// Applies a <see cref="NetworkPlan"/> on this host: the bridge (once per subnet), the routes to other nodes' subnets
/// (ours carry protocol <see cref="RouteProtocol"/>, so stale ones are found and removed, also after a restart), and our
/// iptables chains, rewritten as a whole with iptables-restore whenever they differ or the jumps to them are missing.
/// </summary>
public sealed class ClusterNetwork(IClusterBridge bridge, ReplicaNetwork replicas, ILogger<ClusterNetwork> log)
{
    /// <summary>The routing protocol number that marks our routes (`ip route show proto 240`).</summary>
    public const string RouteProtocol = "240";

    private string? _bridgeSubnet;
    private string? _rules;

    public async Task ApplyAsync(NetworkPlan plan, CancellationToken ct)
    {
        if (_bridgeSubnet != plan.Subnet.ToString())
        {
            await bridge.EnsureBridgeAsync(plan, ct);
            _bridgeSubnet = plan.Subnet.ToString();
            log.LogInformation("cluster network {Network} on {Subnet} (bridge {Bridge}, gateway {Gateway})", plan.NetworkName, plan.Subnet, plan.BridgeName, plan.Gateway);
            replicas.SetReady(plan.NetworkName);
        }
        await ApplyRoutesAsync(plan, ct);
        await ApplyRulesAsync(plan, ct);
    }

    private async Task ApplyRoutesAsync(NetworkPlan plan, CancellationToken ct)
    {
        var present = ParseRoutes(await HostCommand.RunAsync("ip", ["-4", "route", "show", "proto", RouteProtocol], ct));
        var wanted = plan.Routes.ToDictionary(r => r.Subnet, r => r.Via);
        foreach (var (subnet, via) in wanted)
        {
            if (present.TryGetValue(subnet, out var now) && now == via) continue;
            await HostCommand.RunAsync("ip", ["-4", "route", "replace", subnet, "via", via, "proto", RouteProtocol], ct);
            log.LogInformation("route {Subnet} via {Via}", subnet, via);
        }
        foreach (var stale in present.Keys.Where(s => !wanted.ContainsKey(s)))
        {
            await HostCommand.RunAsync("ip", ["-4", "route", "del", stale, "proto", RouteProtocol], ct);
            log.LogInformation("route {Subnet} removed", stale);
        }
    }

    /// <summary>"10.240.2.0/24 via 10.231.0.12 dev eth0" -> (10.240.2.0/24, 10.231.0.12).</summary>
    public static Dictionary<string, string> ParseRoutes(string text)
    {
        var routes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var via = Array.IndexOf(words, "via");
            routes[words[0]] = via >= 0 && via + 1 < words.Length ? words[via + 1] : "";
        }
        return routes;
    }

    private async Task ApplyRulesAsync(NetworkPlan plan, CancellationToken ct)
    {
        var rules = plan.IptablesRules();
        var jumped = await HasJumpAsync("nat", "POSTROUTING", NetworkPlan.NatChain, ct) && await HasJumpAsync("filter", "FORWARD", NetworkPlan.FilterChain, ct);
        if (rules == _rules && jumped) return;
        await HostCommand.RunAsync("iptables-restore", ["--noflush"], ct, rules);
        if (!await HasJumpAsync("nat", "POSTROUTING", NetworkPlan.NatChain, ct))
            await HostCommand.RunAsync("iptables", ["-t", "nat", "-I", "POSTROUTING", "1", "-j", NetworkPlan.NatChain], ct);
        if (!await HasJumpAsync("filter", "FORWARD", NetworkPlan.FilterChain, ct))
            await HostCommand.RunAsync("iptables", ["-t", "filter", "-I", "FORWARD", "1", "-j", NetworkPlan.FilterChain], ct);
        if (rules != _rules) log.LogInformation("iptables chains {Nat} and {Filter} written for {Peers} peer subnet(s)", NetworkPlan.NatChain, NetworkPlan.FilterChain, plan.Routes.Count);
        _rules = rules;
    }

    private static async Task<bool> HasJumpAsync(string table, string chain, string target, CancellationToken ct)
    {
        try
        {
            await HostCommand.RunAsync("iptables", ["-t", table, "-C", chain, "-j", target], ct);
            return true;
        }
        catch (HostCommandException) { return false; }
    }
}
