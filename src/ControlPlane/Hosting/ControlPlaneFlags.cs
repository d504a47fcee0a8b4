namespace Orchestrator.ControlPlane.Hosting;

/// <summary>Short command-line flags for the settings a person changes most.</summary>
public static class ControlPlaneFlags
{
    public static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--etcd"] = "ControlPlane:Etcd",
        ["--key-prefix"] = "ControlPlane:KeyPrefix",
        ["--clustering"] = "ControlPlane:Clustering",
        ["--cluster-id"] = "ControlPlane:ClusterId",
        ["--advertise"] = "ControlPlane:AdvertiseAddress",
        ["--silo-port"] = "ControlPlane:SiloPort",
        ["--gateway-port"] = "ControlPlane:GatewayPort",
        ["--max-request-bytes"] = "ControlPlane:MaxRequestBytes",
        ["--reconcile-interval"] = "ControlPlane:ReconcileInterval",
        ["--node-not-ready-after"] = "ControlPlane:Nodes:NotReadyAfter",
        ["--node-down-after"] = "ControlPlane:Nodes:DownAfter",
        ["--compaction-interval"] = "ControlPlane:CompactionInterval",
        ["--data-dir"] = "ControlPlane:DataDir",
        ["--encryption-key-file"] = "ControlPlane:EncryptionKeyFile",
        ["--admin-token-file"] = "ControlPlane:AdminTokenFile",
        ["--cluster-cidr"] = "ControlPlane:ClusterCidr",
        ["--service-cidr"] = "ControlPlane:ServiceCidr",
        ["--ca-cert"] = "ControlPlane:CaCert",
        ["--ca-key"] = "ControlPlane:CaKey",
        ["--tls-san"] = "ControlPlane:TlsSan",
        ["--etcd-ca"] = "ControlPlane:EtcdCa",
        ["--etcd-cert"] = "ControlPlane:EtcdCert",
        ["--etcd-key"] = "ControlPlane:EtcdKey",
    };
}
