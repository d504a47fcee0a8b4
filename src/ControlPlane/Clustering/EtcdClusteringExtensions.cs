using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;

namespace Orchestrator.ControlPlane.Clustering;

public static class EtcdClusteringExtensions
{
    /// <summary>
    /// Keeps this silo's Orleans membership table in etcd: Orleans runs its own membership
    /// protocol and etcd is only the table. Pair it with <c>Configure&lt;ClusterOptions&gt;</c>
    /// (the ClusterId chooses the table) and <c>ConfigureEndpoints</c>.
    /// </summary>
    public static ISiloBuilder UseEtcdClustering(this ISiloBuilder builder, Action<EtcdClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        builder.Services.AddSingleton<IConfigurationValidator, EtcdClusteringOptionsValidator>();
        builder.Services.AddSingleton<EtcdMembershipTable>();
        builder.Services.AddSingleton<IMembershipTable>(services => services.GetRequiredService<EtcdMembershipTable>());
        return builder;
    }
}
