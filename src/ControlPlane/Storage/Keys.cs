namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// The etcd layout: readable keys, JSON values, one prefix, so that `etcdctl get --prefix /orchestrator/` shows a person the cluster.
/// </summary>
public sealed class Keys(string root = Keys.DefaultRoot)
{
    public const string DefaultRoot = "/orchestrator";

    public string Root { get; } = root.TrimEnd('/');

    public string Services => $"{Root}/services/";
    public string ServicesIn(string ns) => $"{Root}/services/{ns}/";
    public string Service(string ns, string name) => $"{Root}/services/{ns}/{name}";

    /// <summary>What the control plane concluded about a service (pending reason, observed generation).</summary>
    public string ServiceConditions(string ns, string name) => $"{AllServiceConditions}{ns}/{name}";
    public string AllServiceConditions => $"{Root}/service-conditions/";

    public string Replicas => $"{Root}/replicas/";
    public string ReplicasOf(string ns, string service) => $"{Root}/replicas/{ns}/{service}/";
    public string Replica(string ns, string service, string id) => $"{Root}/replicas/{ns}/{service}/{id}";

    /// <summary>What the agent last reported for a replica, kept apart so that reports never wake the assignment watch.</summary>
    public string ReplicaStatuses => $"{Root}/replica-status/";
    public string ReplicaStatusesOf(string ns, string service) => $"{Root}/replica-status/{ns}/{service}/";
    public string ReplicaStatus(string ns, string service, string id) => $"{Root}/replica-status/{ns}/{service}/{id}";

    /// <summary>The last spec versions of a service (<see cref="Contracts.ServiceRevision"/>), numbered with ten digits so they sort.</summary>
    public string RevisionsOf(string ns, string service) => $"{Root}/revisions/{ns}/{service}/";
    public string Revision(string ns, string service, long revision) => $"{Root}/revisions/{ns}/{service}/{revision:D10}";

    /// <summary>Where a service's rollout stands (<see cref="Contracts.RolloutStatus"/>).</summary>
    public string Rollout(string ns, string service) => $"{AllRollouts}{ns}/{service}";
    public string AllRollouts => $"{Root}/rollouts/";

    /// <summary>Secrets as <see cref="StoredSecret"/>: names, keys and sizes readable, values sealed (docs/secrets.md).</summary>
    public string Secrets => $"{Root}/secrets/";
    public string SecretsIn(string ns) => $"{Root}/secrets/{ns}/";
    public string Secret(string ns, string name) => $"{Root}/secrets/{ns}/{name}";

    public string Configs => $"{Root}/configs/";
    public string ConfigsIn(string ns) => $"{Root}/configs/{ns}/";
    public string Config(string ns, string name) => $"{Root}/configs/{ns}/{name}";
    /// <summary>Releases of charts: one key per kept revision (<see cref="Contracts.ReleaseRevision"/>), numbered to sort.</summary>
    public string Releases => $"{Root}/releases/";
    public string ReleasesIn(string ns) => $"{Root}/releases/{ns}/";
    public string ReleaseRevisionsOf(string ns, string name) => $"{Root}/releases/{ns}/{name}/";
    public string ReleaseRevision(string ns, string name, long revision) => $"{Root}/releases/{ns}/{name}/{revision:D10}";

    /// <summary>Where each persistent volume's data is (<see cref="Contracts.VolumeRecord"/>), by service: the scheduler's volume affinity.</summary>
    public string Volumes => $"{Root}/volumes/";
    public string VolumesOf(string ns, string service) => $"{Root}/volumes/{ns}/{service}/";
    public string Volume(string ns, string service, string name) => $"{Root}/volumes/{ns}/{service}/{name}";

    /// <summary>Volumes of deleted services with reclaimPolicy Delete, still to be removed from the nodes (<see cref="Contracts.VolumeReclaim"/>).</summary>
    public string VolumeReclaims => $"{Root}/volume-reclaims/";
    public string VolumeReclaim(string ns, string service) => $"{Root}/volume-reclaims/{ns}/{service}";

    public string Nodes => $"{Root}/nodes/";
    public string Node(string name) => $"{Root}/nodes/{name}";

    /// <summary>Who holds each node subnet ("10.240.3.0-24"): one key per subnet makes two nodes' claims collide in etcd.</summary>
    public string NodeSubnets => $"{Root}/node-subnets/";
    public string NodeSubnet(string subnet) => $"{NodeSubnets}{subnet.Replace('/', '-')}";

    /// <summary>Who holds each service virtual IP ("10.241.0.7"): one key per address makes two services' claims collide in etcd.</summary>
    public string ServiceIps => $"{Root}/service-ips/";
    public string ServiceIp(string ip) => $"{ServiceIps}{ip}";

    public string Events => $"{Root}/events/";
    /// <summary>Events of a service and its replicas; node and cluster events live under "_cluster".</summary>
    public string EventsOf(string scope) => $"{Root}/events/{scope}/";

    /// <summary>Bearer tokens by id (<see cref="Auth.StoredToken"/>: role, bound node, SHA-256 of the secret).</summary>
    public string Tokens => $"{Root}/tokens/";
    public string Token(string id) => $"{Root}/tokens/{id}";

    /// <summary>The key a cluster cache writes to see its watch past a revision when nothing else under the root changed.</summary>
    public string CacheMark => $"{Root}/cache-mark";
}
