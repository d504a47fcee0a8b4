using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Orchestrator.ControlPlane.Clustering;

/// <summary>Fails silo start-up with every option problem at once, before any etcd call.</summary>
internal sealed class EtcdClusteringOptionsValidator(IOptions<EtcdClusteringOptions> options) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var problems = options.Value.Problems();
        if (problems.Count > 0)
        {
            throw new OrleansConfigurationException($"Invalid {nameof(EtcdClusteringOptions)}: {string.Join("; ", problems)}");
        }
    }
}
