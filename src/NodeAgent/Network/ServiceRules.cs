using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Network;

/// <summary>
/// The nat rules that balance services on this node, kube-proxy's iptables mode in our own words: a jump from
/// <see cref="ServicesChain"/> per virtual IP and port to the service's chain (ORC-SVC-…), which picks one endpoint
/// chain (ORC-SEP-…) with <c>-m statistic --mode random --probability 1/(n-i)</c> (so each of n endpoints gets 1/n), and
/// each endpoint chain DNATs to its replica. A published port is caught for the node's own addresses
/// (<see cref="NodePortsChain"/>) and marked, so that it leaves masqueraded and its answers come back through this node.
/// Only ready, not-terminating endpoints are here; a service without any is refused at once in the filter table
/// (<see cref="NoEndpointsChain"/>, kube-proxy's "has no endpoints" REJECT) instead of leaving its clients to time out.
/// Pure: the text is compared with what was written last, and written whole.
/// </summary>
public static class ServiceRules
{
    public const string ServicesChain = "ORC-SERVICES";
    public const string NodePortsChain = "ORC-NODEPORTS";
    public const string MarkChain = "ORC-MARK-MASQ";
    /// <summary>The filter chain (jumped to from OUTPUT and FORWARD) that refuses new connections to a virtual IP without ready endpoints.</summary>
    public const string NoEndpointsChain = "ORC-NO-ENDPOINTS";
    public const string ServiceChainPrefix = "ORC-SVC-";
    public const string EndpointChainPrefix = "ORC-SEP-";
    /// <summary>The packet mark of connections to masquerade (a published port, a replica reaching itself through its VIP).</summary>
    public const string Mark = "0x4000/0x4000";

    /// <summary>The nat chains and rules (without *nat / COMMIT), and the names of the per-service chains they declare.</summary>
    public static (string Declarations, string Rules, IReadOnlySet<string> Chains) Nat(IReadOnlyList<ServiceEndpoints> services)
    {
        var declare = new StringBuilder();
        var rules = new StringBuilder();
        var chains = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in new[] { ServicesChain, NodePortsChain, MarkChain }) declare.Append($":{c} - [0:0]\n");
        rules.Append($"-A {MarkChain} -j MARK --set-xmark {Mark}\n");
        var nodePorts = new StringBuilder();
        foreach (var s in services.Where(s => s.VirtualIp.Length > 0)
                     .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var endpoints = s.Ready.Where(e => e.Ip.Length > 0).OrderBy(e => e.Ip, StringComparer.Ordinal).ToList();
            if (endpoints.Count == 0) continue;
            foreach (var port in s.Ports)
            {
                var name = $"{s.Namespace}/{s.Name}:{port.ContainerPort}/{port.Protocol}";
                var svc = ServiceChainPrefix + Hash(name);
                chains.Add(svc);
                declare.Append($":{svc} - [0:0]\n");
                rules.Append($"-A {ServicesChain} -d {s.VirtualIp}/32 -p {port.Protocol} -m {port.Protocol} --dport {port.ContainerPort} -m comment --comment \"{name} virtual IP\" -j {svc}\n");
                if (port.PublishedPort is { } published)
                {
                    nodePorts.Append($"-A {NodePortsChain} -p {port.Protocol} -m {port.Protocol} --dport {published} -m comment --comment \"{name} published\" -j {MarkChain}\n");
                    nodePorts.Append($"-A {NodePortsChain} -p {port.Protocol} -m {port.Protocol} --dport {published} -m comment --comment \"{name} published\" -j {svc}\n");
                }
                for (var i = 0; i < endpoints.Count; i++)
                {
                    var ep = endpoints[i];
                    var sep = EndpointChainPrefix + Hash($"{name}->{ep.Ip}");
                    chains.Add(sep);
                    declare.Append($":{sep} - [0:0]\n");
                    var left = endpoints.Count - i;
                    rules.Append(left == 1
                        ? $"-A {svc} -m comment --comment \"{name} -> {ep.Ip}\" -j {sep}\n"
                        : $"-A {svc} -m comment --comment \"{name} -> {ep.Ip}\" -m statistic --mode random --probability {Probability(left)} -j {sep}\n");
                    // A replica reaching itself through the VIP: masquerade, or its answer would skip the DNAT's undo.
                    rules.Append($"-A {sep} -s {ep.Ip}/32 -j {MarkChain}\n");
                    rules.Append($"-A {sep} -p {port.Protocol} -m {port.Protocol} -j DNAT --to-destination {ep.Ip}:{port.ContainerPort}\n");
                }
            }
        }
        rules.Append(nodePorts);
        // Last, as kube-proxy does: anything for one of this node's own addresses may be a published port.
        rules.Append($"-A {ServicesChain} -m addrtype --dst-type LOCAL -j {NodePortsChain}\n");
        return (declare.ToString(), rules.ToString(), chains);
    }

    /// <summary>
    /// The filter rules of <see cref="NoEndpointsChain"/>: a new connection to the virtual IP and port of a service without
    /// ready endpoints is refused at once (a TCP reset, an ICMP port unreachable for UDP), as kube-proxy does, instead of
    /// leaving the client to time out; it has no DNAT, so it would otherwise leave the node for nowhere.
    /// </summary>
    public static string Filter(IReadOnlyList<ServiceEndpoints> services)
    {
        var rules = new StringBuilder();
        foreach (var s in services.Where(s => s.VirtualIp.Length > 0 && !s.Ready.Any(e => e.Ip.Length > 0))
                     .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
            foreach (var port in s.Ports)
            {
                var reject = port.Protocol == "tcp" ? "tcp-reset" : "icmp-port-unreachable";
                rules.Append($"-A {NoEndpointsChain} -d {s.VirtualIp}/32 -p {port.Protocol} -m {port.Protocol} --dport {port.ContainerPort} -m conntrack --ctstate NEW " +
                    $"-m comment --comment \"{s.Namespace}/{s.Name}:{port.ContainerPort}/{port.Protocol} has no endpoints\" -j REJECT --reject-with {reject}\n");
            }
        return rules.ToString();
    }

    /// <summary>1/left with enough digits that n endpoints share evenly (kube-proxy writes 10).</summary>
    public static string Probability(int left) => (1.0 / left).ToString("0.0000000000", CultureInfo.InvariantCulture);

    /// <summary>16 hex characters: chain names stay under iptables' 28-character limit.</summary>
    public static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>Our per-service chains that exist in `iptables-save -t nat` output (stale ones are deleted).</summary>
    public static IReadOnlySet<string> ChainsIn(string saved) =>
        saved.Split('\n').Where(l => l.StartsWith(':' + ServiceChainPrefix, StringComparison.Ordinal) || l.StartsWith(':' + EndpointChainPrefix, StringComparison.Ordinal))
            .Select(l => l[1..].Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
}
