using Orchestrator.ControlPlane.Clustering;

namespace Orchestrator.ControlPlane.Hosting;

public static class Clustering
{
    /// <summary>
    /// Orleans membership: in etcd by default, so that several control planes given the same etcd and cluster id
    /// form one cluster; "localhost" runs one process alone without membership in etcd.
    /// </summary>
    public static ISiloBuilder ConfigureClustering(this ISiloBuilder silo, ControlPlaneOptions options) =>
        options.Clustering == "localhost"
            ? silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort)
            : silo.UseEtcdClustering(o =>
            {
                o.ConnectionString = options.Etcd;
                o.KeyPrefix = options.KeyPrefix.TrimEnd('/') + "/orleans/";
                o.Tls = Storage.EtcdTls.FromOptions(options);
            });
}
