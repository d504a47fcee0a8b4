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
public sealed class ClusterNetwork(IClusterBridge bridge, ReplicaNetwork replicas, ServiceDns names, ILogger<ClusterNetwork> log)
{
    /// <summary>The routing protocol number that marks our routes (`ip route show proto 240`).</summary>
    public const string RouteProtocol = "240";

    private string? _bridgeSubnet;
    private string? _rules;
    /// <summary>What the VXLAN device was last brought to (its <see cref="VxlanPlan.Fingerprint"/>; "" for no device).</summary>
    private string? _vxlan;
    /// <summary>Whether this host's iptables knows MASQUERADE --random-fully (asked once).</summary>
    private bool? _randomFully;

    public async Task ApplyAsync(NetworkPlan plan, CancellationToken ct)
    {
        if (_bridgeSubnet != plan.Subnet.ToString())
        {
            await bridge.EnsureBridgeAsync(plan, ct);
            _bridgeSubnet = plan.Subnet.ToString();
            log.LogInformation("cluster network {Network} on {Subnet} (bridge {Bridge}, gateway {Gateway})", plan.NetworkName, plan.Subnet, plan.BridgeName, plan.Gateway);
            replicas.SetReady(plan.NetworkName, plan.Gateway);
            names.Listen(plan.Gateway);
        }
        names.Update(plan.Services);
        var vxlan = plan.Mode == NetworkModes.Vxlan
            ? VxlanPlan.For(plan) ?? throw new InvalidOperationException($"--network-mode vxlan needs this node's address (--address) as the tunnel's local end, not '{plan.LocalAddress}'")
            : null;
        await ApplyVxlanAsync(vxlan, ct);
        await ApplyRoutesAsync(plan, vxlan, ct);
        await ApplyRulesAsync(plan, ct);
    }

    /// <summary>
    /// vxlan: the device as <paramref name="vxlan"/> wants it (recreated when its VNI, local end, port or MAC differ), each
    /// peer's neighbour and forwarding entry, stale ones removed; host-gw: no device (one left by an earlier vxlan run goes).
    /// Done when the plan changed, and at the first pass after a start (a device from before a restart is checked).
    /// </summary>
    private async Task ApplyVxlanAsync(VxlanPlan? vxlan, CancellationToken ct)
    {
        var fingerprint = vxlan?.Fingerprint ?? "";
        if (fingerprint == _vxlan) return;
        var details = await TryRunAsync("ip", ["-d", "-o", "link", "show", VxlanPlan.Device], ct);
        if (details is not null && (vxlan is null || !vxlan.Matches(details)))
        {
            await HostCommand.RunAsync("ip", ["link", "del", VxlanPlan.Device], ct);
            log.LogInformation("VXLAN device {Device} removed", VxlanPlan.Device);
            details = null;
        }
        if (vxlan is not null)
        {
            if (details is null)
            {
                await RunAllAsync(vxlan.CreateDevice(), ct);
                log.LogInformation("VXLAN device {Device}: VNI {Vni}, local {Local}, UDP {Port}, {Vtep} {Mac}", VxlanPlan.Device, VxlanPlan.Vni, vxlan.LocalAddress, VxlanPlan.Port, vxlan.Vtep, vxlan.Mac);
            }
            foreach (var peer in vxlan.Peers) await RunAllAsync(VxlanPlan.PeerEntries(peer), ct);
            var neighbours = await HostCommand.RunAsync("ip", ["neigh", "show", "dev", VxlanPlan.Device, "nud", "permanent"], ct);
            var forwarding = await HostCommand.RunAsync("bridge", ["fdb", "show", "dev", VxlanPlan.Device], ct);
            await RunAllAsync(vxlan.StaleEntries(neighbours, forwarding), ct);
        }
        _vxlan = fingerprint;
    }

    private static async Task RunAllAsync(IEnumerable<string[]> commands, CancellationToken ct)
    {
        foreach (var c in commands) await HostCommand.RunAsync(c[0], c[1..], ct);
    }

    /// <summary>The output, or null when the command fails (a device that does not exist).</summary>
    private static async Task<string?> TryRunAsync(string file, string[] args, CancellationToken ct)
    {
        try { return await HostCommand.RunAsync(file, args, ct); }
        catch (HostCommandException) { return null; }
    }

    private async Task ApplyRoutesAsync(NetworkPlan plan, VxlanPlan? vxlan, CancellationToken ct)
    {
        var present = ParseRoutes(await HostCommand.RunAsync("ip", ["-4", "route", "show", "proto", RouteProtocol], ct));
        // host-gw: via the peer's address; vxlan: via the peer's tunnel end on the device.
        var wanted = vxlan is null
            ? plan.Routes.ToDictionary(r => r.Subnet, r => (Via: r.Via, Args: new[] { "-4", "route", "replace", r.Subnet, "via", r.Via, "proto", RouteProtocol }))
            : vxlan.Peers.ToDictionary(p => p.Subnet, p => (Via: p.Vtep, Args: VxlanPlan.RouteArgs(p)));
        foreach (var (subnet, (via, args)) in wanted)
        {
            if (present.TryGetValue(subnet, out var now) && now == via) continue;
            await HostCommand.RunAsync("ip", args, ct);
            log.LogInformation("route {Subnet} via {Via}", subnet, via);
        }
        foreach (var stale in present.Keys.Where(k => !wanted.ContainsKey(k)))
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

    /// <summary>The jumps from the built-in chains to ours, each inserted first when missing (a restarted dockerd rebuilds its chains).</summary>
    private static readonly (string Table, string Chain, string Target)[] Jumps =
    [
        ("nat", "PREROUTING", ServiceRules.ServicesChain),
        ("nat", "OUTPUT", ServiceRules.ServicesChain),
        ("nat", "POSTROUTING", NetworkPlan.NatChain),
        ("filter", "FORWARD", NetworkPlan.FilterChain),
        // A virtual IP without endpoints is refused for the node's own clients (OUTPUT) and its replicas (FORWARD).
        ("filter", "OUTPUT", ServiceRules.NoEndpointsChain),
        ("filter", "FORWARD", ServiceRules.NoEndpointsChain),
    ];

    private async Task ApplyRulesAsync(NetworkPlan plan, CancellationToken ct)
    {
        _randomFully ??= await RandomFullyAsync(ct);
        plan = plan with { MasqueradeRandomFully = _randomFully.Value };
        var rules = plan.IptablesRules();
        var jumped = true;
        foreach (var (table, chain, target) in Jumps) jumped &= await HasJumpAsync(table, chain, target, ct);
        if (rules == _rules && jumped) return;
        // Chains of services or endpoints that are gone (also from before a restart) are emptied and deleted in the same write.
        var present = ServiceRules.ChainsIn(await HostCommand.RunAsync("iptables-save", ["-t", "nat"], ct));
        await HostCommand.RunAsync("iptables-restore", ["--noflush"], ct, plan.IptablesRules(present));
        foreach (var (table, chain, target) in Jumps)
            if (!await HasJumpAsync(table, chain, target, ct))
                await HostCommand.RunAsync("iptables", ["-t", table, "-I", chain, "1", "-j", target], ct);
        if (rules != _rules)
            log.LogInformation("iptables chains written: {Peers} peer subnet(s), {Services} service(s) with {Endpoints} ready endpoint(s)",
                plan.Routes.Count, plan.Services.Count(s => s.Ready.Count > 0), plan.Services.Sum(s => s.Ready.Count));
        _rules = rules;
    }

    /// <summary>iptables 1.6.2 and later list MASQUERADE's --random-fully in its help (kube-proxy checks the version instead).</summary>
    private async Task<bool> RandomFullyAsync(CancellationToken ct)
    {
        var help = await TryRunAsync("iptables", ["-j", "MASQUERADE", "--help"], ct) ?? "";
        var has = help.Contains("--random-fully", StringComparison.Ordinal);
        if (!has) log.LogWarning("this host's iptables has no MASQUERADE --random-fully: published ports are masqueraded keeping the client's source port where it is free");
        return has;
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
