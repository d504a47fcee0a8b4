using System.Globalization;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>
/// The host ports other programs hold on this node, read from /proc/net/{tcp,tcp6,udp,udp6} of the agent's network
/// namespace: TCP sockets in LISTEN and unconnected bound UDP sockets. Ports this cluster's containers publish (the
/// engine's proxy listens on them) and the fixed host ports of assigned replicas are left out: those the scheduler
/// already counts. The report is capped at <see cref="ListeningPort.MaxReported"/>, lowest first.
/// </summary>
public static class HostPortsInUse
{
    private const string TcpListen = "0A";
    private const string UdpUnconnected = "07";

    /// <summary>What is bound now, less what is ours; an unreadable /proc (not Linux, no permission) reports nothing.</summary>
    public static List<ListeningPort> Read(IEnumerable<ListeningPort> ours, string procNet = "/proc/net")
    {
        var bound = new List<ListeningPort>();
        foreach (var (file, protocol) in new[] { ("tcp", "tcp"), ("tcp6", "tcp"), ("udp", "udp"), ("udp6", "udp") })
        {
            string content;
            try { content = File.ReadAllText(Path.Combine(procNet, file)); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            bound.AddRange(Parse(content, protocol));
        }
        return Report(bound, ours);
    }

    /// <summary>The bound ports of one /proc/net file; lines that do not parse are skipped.</summary>
    public static IEnumerable<ListeningPort> Parse(string content, string protocol)
    {
        foreach (var line in content.Split('\n').Skip(1))
        {
            // "  0: 00000000:0BB8 00000000:0000 0A 00000000:00000000 ..."
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4) continue;
            var state = fields[3];
            var remotePort = PortOf(fields[2]);
            var bound = protocol == "tcp" ? state == TcpListen : state == UdpUnconnected && remotePort == 0;
            if (bound && PortOf(fields[1]) is > 0 and var port) yield return new ListeningPort { Port = port, Protocol = protocol };
        }
    }

    /// <summary>Distinct, without ours, lowest first, at most <see cref="ListeningPort.MaxReported"/>.</summary>
    public static List<ListeningPort> Report(IEnumerable<ListeningPort> bound, IEnumerable<ListeningPort> ours)
    {
        var mine = ours.ToHashSet();
        return bound.Where(p => !mine.Contains(p)).Distinct()
            .OrderBy(p => p.Port).ThenBy(p => p.Protocol, StringComparer.Ordinal)
            .Take(ListeningPort.MaxReported).ToList();
    }

    /// <summary>The host ports this cluster holds on the node: published by its containers, or fixed in an assigned replica.</summary>
    public static IEnumerable<ListeningPort> Ours(IEnumerable<ObservedContainer> observed, IEnumerable<Replica> assigned) =>
        observed.SelectMany(c => c.Ports).Where(p => p.HostPort > 0)
            .Select(p => new ListeningPort { Port = p.HostPort, Protocol = p.Protocol.ToLowerInvariant() })
            .Concat(observed.SelectMany(c => c.Published))
            .Concat(assigned.SelectMany(r => r.Container.Ports).Where(p => p.HostPort is > 0)
                .Select(p => new ListeningPort { Port = p.HostPort!.Value, Protocol = string.IsNullOrEmpty(p.Protocol) ? "tcp" : p.Protocol.ToLowerInvariant() }));

    /// <summary>"0100007F:0CEA" -> 3306; -1 when it does not parse.</summary>
    private static int PortOf(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon >= 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port) ? port : -1;
    }
}
