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

    /// <summary>Why a cluster range is refused at start-up, or null.</summary>
    public static string? Problem(string text) =>
        !Ipv4Subnet.TryParse(text, out var range) ? $"--cluster-cidr: \"{text}\" is not {Ipv4Subnet.Allowed}"
        : range.PrefixLength > PrefixLength ? $"--cluster-cidr: {text} is smaller than one node's /{PrefixLength}; give /{PrefixLength} or larger, like 10.240.0.0/16"
        : null;
}

/// <summary>The value at node-subnets/{subnet}: the node that holds it.</summary>
public sealed record NodeSubnetClaim(string Node, string Subnet);
