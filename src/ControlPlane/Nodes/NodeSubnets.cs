using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Nodes;

/// <summary>
/// Which /24 of the cluster range a node gets (flannel's and kube-controller-manager's podCIDR allocation): the lowest one
/// no registered node holds. A subnet is held by its claim in etcd; a claim whose node record is gone is free again.
/// </summary>
public static class NodeSubnets
{
    public const int PrefixLength = 24;

    /// <summary>The first free subnet of <paramref name="range"/>, or null when every one is held.</summary>
    public static Ipv4Subnet? Pick(Ipv4Subnet range, IReadOnlySet<string> held)
    {
        foreach (var candidate in range.Split(PrefixLength))
            if (!held.Contains(candidate.ToString())) return candidate;
        return null;
    }

    /// <summary>How many of the lowest free subnets nodes registering at once spread over.</summary>
    public const int Spread = 32;

    /// <summary>
    /// The subnet node <paramref name="node"/> tries to claim: one of the <see cref="Spread"/> lowest free ones, chosen by
    /// a stable hash of its name. Nodes registering together (a rack booting, 1,000 hollow nodes) would all race for
    /// the one lowest subnet, one winning per round and every other retrying; spread, most claim at the first try.
    /// Null when every subnet is held.
    /// </summary>
    public static Ipv4Subnet? PickFor(string node, Ipv4Subnet range, IReadOnlySet<string> held)
    {
        var free = new List<Ipv4Subnet>(Spread);
        foreach (var candidate in range.Split(PrefixLength))
        {
            if (held.Contains(candidate.ToString())) continue;
            free.Add(candidate);
            if (free.Count == Spread) break;
        }
        if (free.Count == 0) return null;
        var hash = 2166136261u;   // FNV-1a: the same choice in every process and run (string.GetHashCode is randomised)
        foreach (var c in node) hash = (hash ^ c) * 16777619u;
        return free[(int)(hash % (uint)free.Count)];
    }

    /// <summary>Why a cluster range is refused at start-up, or null.</summary>
    public static string? Problem(string text) =>
        !Ipv4Subnet.TryParse(text, out var range) ? $"--cluster-cidr: \"{text}\" is not {Ipv4Subnet.Allowed}"
        : range.PrefixLength > PrefixLength ? $"--cluster-cidr: {text} is smaller than one node's /{PrefixLength}; give /{PrefixLength} or larger, like 10.240.0.0/16"
        : null;
}

/// <summary>The value at node-subnets/{subnet}: the node that holds it.</summary>
public sealed record NodeSubnetClaim(string Node, string Subnet);
