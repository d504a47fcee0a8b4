namespace Orchestrator.Contracts;

/// <summary>One replica a service's virtual IP may send connections to.</summary>
public sealed record EndpointAddress
{
    public string ReplicaId { get; init; } = "";
    public string Node { get; init; } = "";
    public string Ip { get; init; } = "";
    /// <summary>Why it is not in the balancing rules (not ready, terminating, node down); null for a serving endpoint.</summary>
    public string? NotServing { get; init; }
}

/// <summary>
/// A service as the network sees it (GET /api/v1/endpoints): its virtual IP, its ports and the replicas connections go
/// to. Only <see cref="Ready"/> ones are balanced to and named by `tasks.NAME`; <see cref="NotReady"/> shows the others.
/// </summary>
public sealed record ServiceEndpoints
{
    public string Namespace { get; init; } = ObjectKinds.DefaultNamespace;
    public string Name { get; init; } = "";
    /// <summary>From the service range (--service-cidr); empty until the control plane allocated one.</summary>
    public string VirtualIp { get; init; } = "";
    public List<PortSpec> Ports { get; init; } = new();
    public List<EndpointAddress> Ready { get; init; } = new();
    public List<EndpointAddress> NotReady { get; init; } = new();
}

/// <summary>
/// What an agent's share of the cluster network is built from (GET /api/v1/nodes/{name}/network, a long poll): every
/// node's address and subnet, and every service's endpoints. <see cref="Version"/> names the content: an agent asks with
/// the version it holds and is answered as soon as the control plane's differs (docs/networking.md, "Endpoints").
/// </summary>
public sealed record NetworkSnapshot
{
    public string Version { get; init; } = "";
    /// <summary>Only what the network needs of a node: name, address, subnet and state.</summary>
    public List<NodeInfo> Nodes { get; init; } = new();
    public List<ServiceEndpoints> Services { get; init; } = new();
}
