using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Network;

/// <summary>What a name means on the cluster network: a service's virtual IP, its ready replicas, or someone else's name.</summary>
public sealed record NameAnswer(bool Ours, IReadOnlyList<string> Addresses);

/// <summary>
/// The cluster's names (Swarm's embedded DNS with Kubernetes' search forms): <c>NAME</c> (the asking replica's namespace,
/// else default), <c>NAME.NAMESPACE</c> and <c>NAME.NAMESPACE.svc.cluster.local</c> are the service's virtual IP;
/// <c>tasks.NAME[.NAMESPACE]</c> are the IPs of its ready replicas. A name with more labels, or two labels whose second
/// is no namespace of ours, is not ours: it is forwarded. Pure.
/// </summary>
public static class ServiceNames
{
    public const string ClusterDomain = "svc.cluster.local";
    private const string TasksPrefix = "tasks.";

    public static NameAnswer Resolve(string query, IReadOnlyList<ServiceEndpoints> services, string? clientIp = null)
    {
        var name = query.TrimEnd('.').ToLowerInvariant();
        var qualified = name.EndsWith("." + ClusterDomain, StringComparison.Ordinal);
        if (qualified) name = name[..^(ClusterDomain.Length + 1)];
        var tasks = name.StartsWith(TasksPrefix, StringComparison.Ordinal);
        if (tasks) name = name[TasksPrefix.Length..];
        var labels = name.Split('.');
        if (labels.Any(l => l.Length == 0) || labels.Length > 2 || (qualified && labels.Length != 2)) return new NameAnswer(false, []);
        string ns;
        if (labels.Length == 2)
        {
            ns = labels[1];
            // "example.com" is not a service "example" in namespace "com", unless there is such a namespace.
            if (!qualified && !services.Any(s => s.Namespace == ns)) return new NameAnswer(false, []);
        }
        else ns = NamespaceOf(clientIp, services) ?? ObjectKinds.DefaultNamespace;
        var service = services.FirstOrDefault(s => s.Namespace == ns && s.Name == labels[0]);
        if (service is null) return new NameAnswer(true, []);
        if (tasks) return new NameAnswer(true, service.Ready.Select(e => e.Ip).Where(ip => ip.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList());
        return new NameAnswer(true, service.VirtualIp.Length > 0 ? [service.VirtualIp] : []);
    }

    /// <summary>The namespace of the replica that asks, found by its IP.</summary>
    private static string? NamespaceOf(string? ip, IReadOnlyList<ServiceEndpoints> services) =>
        ip is null ? null : services.FirstOrDefault(s => s.Ready.Concat(s.NotReady).Any(e => e.Ip == ip))?.Namespace;
}
