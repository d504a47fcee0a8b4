namespace Orchestrator.Tls;

/// <summary>The subjects that say who a certificate is; the agent checks the control plane's, the auth branch a node's.</summary>
public static class TlsNames
{
    /// <summary>The CN of the control plane's client certificate: the only client the agents' /v1 API answers.</summary>
    public const string ControlPlaneClient = "orchestrator-control-plane";

    /// <summary>The CN of the cluster CA a control plane creates.</summary>
    public const string ClusterCa = "orchestrator-cluster-ca";

    /// <summary>The CN of the silos' certificate (silo-to-silo and gateway TLS).</summary>
    public const string Silo = "orchestrator-silo";

    public const string NodePrefix = "orchestrator-node:";

    public static string NodeCommonName(string nodeName) => NodePrefix + nodeName;

    /// <summary>The names a certificate can carry as DNS SANs, once each (a host name like "my_box" cannot, and is left out).</summary>
    public static IEnumerable<string> DnsNamesOnly(IEnumerable<string> names) =>
        names.Where(n => Uri.CheckHostName(n) == UriHostNameType.Dns).Distinct(StringComparer.OrdinalIgnoreCase);
}
