using Orleans.Runtime;

namespace Orchestrator.ControlPlane.Clustering;

/// <summary>
/// The etcd key layout of one cluster's table: <c>{prefix}{clusterId}/version</c> holds the table
/// version, <c>{prefix}{clusterId}/silos/{silo}</c> one row per silo. Everything shares the root,
/// so one range read returns the version and all rows at a single etcd revision.
/// </summary>
internal sealed class MembershipKeys(string keyPrefix, string clusterId)
{
    public string Root { get; } = $"{keyPrefix}{clusterId}/";

    public string Version => Root + "version";

    public string Silos => Root + "silos/";

    public string Silo(SiloAddress silo) => Silos + silo.ToParsableString();
}
