using System.Net;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Network;

/// <summary>Another node's subnet and the address it is reached through (flannel host-gw: one route per node).</summary>
public sealed record PeerRoute(string Subnet, string Via);

/// <summary>
/// What this node's share of the cluster network should look like, computed from the nodes the control plane knows:
/// the Docker bridge on its own subnet, a route per other node, and the iptables chains that let replica-to-replica
/// traffic between nodes pass unmasqueraded. Pure, so that it is tested as a table; <see cref="ClusterNetwork"/> applies it.
/// </summary>
public sealed record NetworkPlan(string NetworkName, string BridgeName, Ipv4Subnet Subnet, IReadOnlyList<PeerRoute> Routes)
{
    /// <summary>Every service's virtual IP, ports and ready endpoints, as the control plane derived them.</summary>
    public IReadOnlyList<ServiceEndpoints> Services { get; init; } = [];

    /// <summary>How peers' subnets are reached: <see cref="NetworkModes.HostGw"/> (through their addresses) or <see cref="NetworkModes.Vxlan"/> (<see cref="VxlanPlan"/>).</summary>
    public string Mode { get; init; } = NetworkModes.HostGw;

    /// <summary>This node's own address (its --address): the VXLAN tunnel's local end.</summary>
    public string LocalAddress { get; init; } = "";

    /// <summary>
    /// Masquerade with <c>--random-fully</c> (a source port drawn at random for each connection, as kube-proxy and Docker do
    /// where iptables has it): with the default, masqueraded connections of several clients that keep their own source port
    /// race for one mapping and the loser's first packet is dropped by conntrack (insert_failed), retried a second later.
    /// </summary>
    public bool MasqueradeRandomFully { get; init; }

    /// <summary>Our chains; every rule of ours lives in them, so removing them (and the jumps to them) removes everything.</summary>
    public const string NatChain = "ORC-POSTROUTING";
    public const string FilterChain = "ORC-FORWARD";

    /// <summary>The gateway of the bridge: the node's own address on its subnet (.1).</summary>
    public string Gateway => Subnet.Address(1);

    /// <summary>Null while this node has no subnet (not registered yet, or the cluster range is full).</summary>
    public static NetworkPlan? For(string cluster, string node, IReadOnlyList<NodeInfo> nodes, string mode = NetworkModes.HostGw)
    {
        var self = nodes.FirstOrDefault(n => n.Name == node);
        if (self is null || !Ipv4Subnet.TryParse(self.Subnet, out var own)) return null;
        var routes = new List<PeerRoute>();
        foreach (var peer in nodes.Where(n => n.Name != node).OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            // A peer without a subnet yet, or one whose address cannot carry its replicas' traffic, gets no route.
            if (!Ipv4Subnet.TryParse(peer.Subnet, out var subnet) || subnet.Contains(own) || own.Contains(subnet)) continue;
            if (!IPAddress.TryParse(peer.Address, out var via) || IPAddress.IsLoopback(via)) continue;
            routes.Add(new PeerRoute(subnet.ToString(), peer.Address));
        }
        return new NetworkPlan(NetworkNameOf(cluster), BridgeNameOf(cluster), own, routes) { Mode = mode, LocalAddress = self.Address };
    }

    /// <summary>The Docker network of a cluster's replicas.</summary>
    public static string NetworkNameOf(string cluster) => $"orc-{cluster}";

    /// <summary>The Linux bridge's name: at most 15 characters, so a short hash of the cluster name.</summary>
    public static string BridgeNameOf(string cluster) =>
        "orc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cluster)))[..8];

    /// <summary>
    /// iptables-restore input (with --noflush: only our chains are rewritten, as a whole): replica traffic to another
    /// node's subnet leaves unmasqueraded (ACCEPT ends the nat table's POSTROUTING before Docker's MASQUERADE), and
    /// replica traffic from another node's subnet is forwarded into the bridge (Docker's FORWARD drops it otherwise).
    /// </summary>
    /// <param name="stale">our per-service chains present on the host that this plan no longer declares: emptied and deleted</param>
    public string IptablesRules(IReadOnlySet<string>? stale = null)
    {
        var text = new StringBuilder();
        var (declarations, serviceRules, chains) = ServiceRules.Nat(Services);
        var gone = (stale ?? new HashSet<string>()).Where(c => !chains.Contains(c)).Order(StringComparer.Ordinal).ToList();
        text.Append("*nat\n").Append($":{NatChain} - [0:0]\n").Append(declarations);
        foreach (var c in gone) text.Append($":{c} - [0:0]\n");
        text.Append(serviceRules);
        foreach (var c in gone) text.Append($"-X {c}\n");
        text.Append($"-A {NatChain} -m mark --mark {ServiceRules.Mark} -m comment --comment \"orc: published port or hairpin, masqueraded\" -j MASQUERADE{(MasqueradeRandomFully ? " --random-fully" : "")}\n");
        foreach (var r in Routes)
            text.Append($"-A {NatChain} -s {Subnet} -d {r.Subnet} -m comment --comment \"orc: replica to replica, kept unmasqueraded\" -j ACCEPT\n");
        text.Append("COMMIT\n*filter\n").Append($":{FilterChain} - [0:0]\n").Append($":{ServiceRules.NoEndpointsChain} - [0:0]\n");
        text.Append(ServiceRules.Filter(Services));
        // Connections our rules (or the engine's published ports) translated: a published port forwarded to another node,
        // and its answers. The mark is on the first packet only; the connection's DNAT state on every one.
        text.Append($"-A {FilterChain} -m mark --mark {ServiceRules.Mark} -m comment --comment \"orc: published port\" -j ACCEPT\n");
        text.Append($"-A {FilterChain} -m conntrack --ctstate DNAT -m comment --comment \"orc: balanced connections\" -j ACCEPT\n");
        foreach (var r in Routes)
        {
            // A published port forwarded here by a peer leaves the peer masqueraded: from the peer's own address.
            text.Append($"-A {FilterChain} -s {r.Via}/32 -d {Subnet} -m comment --comment \"orc: published port via another node\" -j ACCEPT\n");
            text.Append($"-A {FilterChain} -s {r.Subnet} -d {Subnet} -m comment --comment \"orc: from replicas of another node\" -j ACCEPT\n");
            text.Append($"-A {FilterChain} -s {Subnet} -d {r.Subnet} -m comment --comment \"orc: to replicas of another node\" -j ACCEPT\n");
        }
        text.Append("COMMIT\n");
        return text.ToString();
    }
}
