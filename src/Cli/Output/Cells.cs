using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

/// <summary>How one value reads in a table cell, the same in `get` and `describe`.</summary>
public static class Cells
{
    public const string None = "<none>";

    /// <summary>Docker's short id: 12 characters are unique in practice and fit a terminal.</summary>
    public static string Container(ReplicaStatus? status) =>
        string.IsNullOrEmpty(status?.ContainerId) ? None : status.ContainerId[..Math.Min(12, status.ContainerId.Length)];

    /// <summary>A replica nobody has reported on yet is still on its way: Pending, as Kubernetes says.</summary>
    public static string State(ReplicaView view) => (view.Status?.State ?? ReplicaState.Pending).ToString();

    /// <summary>Docker's form: 127.0.0.1:32768->8080/tcp.</summary>
    public static string Ports(ReplicaStatus? status) =>
        status is null || status.Ports.Count == 0
            ? None
            : string.Join(",", status.Ports.Select(p =>
                $"{(p.HostIp.Length == 0 ? "" : p.HostIp + ":")}{p.HostPort}->{p.ContainerPort}/{p.Protocol}"));

    public static string Exit(ReplicaStatus? status) => status?.ExitCode?.ToString() ?? "";

    public static string Restarts(ReplicaStatus? status) => (status?.RestartCount ?? 0).ToString();

    public static string Labels(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? None : string.Join(",", Pairs(labels));

    public static IEnumerable<string> Pairs(IReadOnlyDictionary<string, string> map) =>
        map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}");

    public static string Text(string? value) => string.IsNullOrEmpty(value) ? None : value;

    /// <summary>The spec's ports: 8080/tcp, 80:8080/tcp with a fixed host port.</summary>
    public static string SpecPorts(IEnumerable<PortSpec> ports)
    {
        var text = string.Join(",", ports.Select(p => $"{(p.HostPort is { } h ? $"{h}:" : "")}{p.ContainerPort}/{p.Protocol}"));
        return text.Length == 0 ? None : text;
    }

    /// <summary>kubectl marks a cordoned node "Ready,SchedulingDisabled".</summary>
    public static string NodeState(NodeInfo node) =>
        node.Cordoned ? $"{node.State},SchedulingDisabled" : node.State.ToString();

    /// <summary>
    /// Memory a person can read at a glance: exact when a binary unit divides it ("64Mi"), otherwise one decimal of the
    /// largest unit that fits ("23.4Gi"), since a machine's MemTotal is rarely a round number.
    /// </summary>
    public static string ApproximateMemory(long bytes)
    {
        var exact = Units.FormatMemory(bytes);
        if (bytes < 1L << 20 || exact.EndsWith("Mi") || exact.EndsWith("Gi") || exact.EndsWith("Ti")) return exact;
        var (value, unit) = bytes >= 1L << 40 ? (bytes / (double)(1L << 40), "Ti")
            : bytes >= 1L << 30 ? (bytes / (double)(1L << 30), "Gi") : (bytes / (double)(1L << 20), "Mi");
        return value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + unit;
    }
}
