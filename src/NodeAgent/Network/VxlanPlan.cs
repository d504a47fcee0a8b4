using System.Net;

namespace Orchestrator.NodeAgent.Network;

/// <summary>Another node as this node's VXLAN device reaches it: its subnet, its tunnel end (subnet .0, MAC) and its address.</summary>
public sealed record VxlanPeer(string Subnet, string Vtep, string Mac, string Address);

/// <summary>
/// --network-mode vxlan, as flannel's vxlan backend: one Linux VXLAN device per node (<see cref="Device"/>, VNI
/// <see cref="Vni"/>, UDP <see cref="Port"/>, local = the node's address) holding the node's subnet .0 as its address
/// and a MAC derived from that subnet, so that every node knows every other's without asking. Per peer: a permanent
/// neighbour entry (its .0 -> its MAC), a forwarding entry (its MAC -> its address, the outer destination) and the route
/// of its subnet via its .0 on the device (onlink). Nodes then need no shared L2 segment, only UDP 4789 between them.
/// Pure: the commands are tested as a table; <see cref="ClusterNetwork"/> runs them.
/// </summary>
public sealed record VxlanPlan(string LocalAddress, string Vtep, string Mac, IReadOnlyList<VxlanPeer> Peers)
{
    public const string Device = "orc-vxlan";
    public const int Vni = 240;
    public const int Port = 4789;
    /// <summary>1500 less the 50 bytes of VXLAN over IPv4.</summary>
    public const int Mtu = 1450;

    /// <summary>Null when the node's own address cannot be a tunnel end (none, or loopback).</summary>
    public static VxlanPlan? For(NetworkPlan plan)
    {
        if (!IPAddress.TryParse(plan.LocalAddress, out var local) || IPAddress.IsLoopback(local)) return null;
        var peers = plan.Routes.Select(r =>
        {
            var subnet = Contracts.Ipv4Subnet.Parse(r.Subnet);
            return new VxlanPeer(r.Subnet, subnet.Address(0), MacOf(subnet), r.Via);
        }).ToList();
        return new VxlanPlan(plan.LocalAddress, plan.Subnet.Address(0), MacOf(plan.Subnet), peers);
    }

    /// <summary>02 (locally administered, unicast), then the subnet's four bytes, then 00: 10.240.1.0/24 -> 02:0a:f0:01:00:00.</summary>
    public static string MacOf(Contracts.Ipv4Subnet subnet)
    {
        var n = subnet.Network;
        return $"02:{n >> 24:x2}:{(n >> 16) & 0xff:x2}:{(n >> 8) & 0xff:x2}:{n & 0xff:x2}:00";
    }

    /// <summary>Creates the device (after deleting one that is not this, see <see cref="Matches"/>).</summary>
    public IReadOnlyList<string[]> CreateDevice() =>
    [
        ["ip", "link", "add", Device, "type", "vxlan", "id", Vni.ToString(), "local", LocalAddress, "dstport", Port.ToString(), "nolearning"],
        ["ip", "link", "set", Device, "address", Mac, "mtu", Mtu.ToString(), "up"],
        ["ip", "-4", "addr", "replace", Vtep + "/32", "dev", Device],
    ];

    /// <summary>What makes a peer reachable through the device, besides its route (<see cref="RouteArgs"/>).</summary>
    public static IReadOnlyList<string[]> PeerEntries(VxlanPeer p) =>
    [
        ["ip", "neigh", "replace", p.Vtep, "lladdr", p.Mac, "dev", Device, "nud", "permanent"],
        ["bridge", "fdb", "replace", p.Mac, "dev", Device, "dst", p.Address, "self", "permanent"],
    ];

    /// <summary>The route of a peer's subnet (ours carry protocol <see cref="ClusterNetwork.RouteProtocol"/>).</summary>
    public static string[] RouteArgs(VxlanPeer p) =>
        ["-4", "route", "replace", p.Subnet, "via", p.Vtep, "dev", Device, "onlink", "proto", ClusterNetwork.RouteProtocol];

    /// <summary>Entries on the device that no peer of this plan wants: neighbours by address, forwarding entries by MAC.</summary>
    public IReadOnlyList<string[]> StaleEntries(string neighbours, string forwarding)
    {
        var vteps = Peers.Select(p => p.Vtep).ToHashSet(StringComparer.Ordinal);
        var macs = Peers.Select(p => p.Mac).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var stale = new List<string[]>();
        foreach (var ip in FirstWords(neighbours).Where(ip => !vteps.Contains(ip)))
            stale.Add(["ip", "neigh", "del", ip, "dev", Device]);
        foreach (var line in Lines(forwarding))
        {
            // "02:0a:f0:01:00:00 dst 10.231.0.12 self permanent"; the all-zero and the kernel's own entries are not ours.
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var dst = Array.IndexOf(words, "dst");
            if (dst < 0 || dst + 1 >= words.Length || macs.Contains(words[0]) || !words[0].StartsWith("02:", StringComparison.Ordinal)) continue;
            stale.Add(["bridge", "fdb", "del", words[0], "dev", Device, "dst", words[dst + 1], "self"]);
        }
        return stale;
    }

    /// <summary>`ip -d -o link show orc-vxlan` describes this device: same VNI, local address and port.</summary>
    public bool Matches(string details) =>
        details.Contains($" vxlan id {Vni} ", StringComparison.Ordinal)
        && details.Contains($" local {LocalAddress} ", StringComparison.Ordinal)
        && details.Contains($" dstport {Port} ", StringComparison.Ordinal)
        && details.Contains($" link/ether {Mac} ", StringComparison.OrdinalIgnoreCase);

    /// <summary>The same device, the same peers: nothing to program again.</summary>
    public string Fingerprint => $"{LocalAddress} {Vtep} {Mac} " + string.Join(' ', Peers.Select(p => $"{p.Subnet}={p.Address}"));

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<string> FirstWords(string text) => Lines(text).Select(l => l.Split(' ')[0]);
}
