using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Network;

/// <summary>
/// Which virtual IP a service gets (Kubernetes' ClusterIP allocator): the lowest address of the service range that no
/// existing service holds, skipping the range's network and broadcast addresses. An address is held by its claim in
/// etcd; a claim whose service is gone is free again, and a service created again under the same name gets its old one.
/// </summary>
public static class ServiceIps
{
    /// <summary>The first free address of <paramref name="range"/>, or null when every one is held.</summary>
    public static string? Pick(Ipv4Subnet range, IReadOnlySet<string> held)
    {
        for (long i = 1; i < range.Size - 1; i++)
        {
            var ip = range.Address(i);
            if (!held.Contains(ip)) return ip;
        }
        return null;
    }

    /// <summary>Why a service range is refused at start-up, or null.</summary>
    public static string? Problem(string text, string clusterCidr) =>
        !Ipv4Subnet.TryParse(text, out var range) ? $"--service-cidr: \"{text}\" is not {Ipv4Subnet.Allowed}"
        : range.PrefixLength > 28 ? $"--service-cidr: {text} holds too few addresses; give /28 or larger, like 10.241.0.0/16"
        : Ipv4Subnet.TryParse(clusterCidr, out var cluster) && (cluster.Contains(range) || range.Contains(cluster))
            ? $"--service-cidr: {text} overlaps the cluster range {clusterCidr}; give a range of its own, like 10.241.0.0/16"
        : null;
}

/// <summary>The value at service-ips/{ip}: the service that holds the address.</summary>
public sealed record ServiceIpClaim(string Namespace, string Name, string Ip);
