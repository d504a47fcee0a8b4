namespace Orchestrator.Contracts;

public enum NodeState { Ready, NotReady, Down }

/// <summary>What a machine offers: the allocatable cpu and memory the agent measured or was told.</summary>
public sealed record NodeCapacity
{
    public long MilliCpu { get; init; }
    public long MemoryBytes { get; init; }
}

/// <summary>A machine as the control plane knows it (stored at /orchestrator/nodes/{name}).</summary>
public sealed record NodeInfo
{
    public string Name { get; init; } = "";
    public Dictionary<string, string> Labels { get; init; } = new();
    public NodeCapacity Capacity { get; init; } = new();
    /// <summary>Address other machines reach this node's published ports on.</summary>
    public string Address { get; init; } = "";
    /// <summary>Where the control plane reaches the agent's own HTTP API (logs, stats), like http://10.0.0.5:7071; empty for an agent that does not say.</summary>
    public string AgentUrl { get; init; } = "";
    /// <summary>SHA-256 (hex) of the agent's TLS certificate: the control plane accepts exactly this one at <see cref="AgentUrl"/>.</summary>
    public string AgentCertificateSha256 { get; init; } = "";
    public string AgentVersion { get; init; } = "";
    public NodeState State { get; init; } = NodeState.Ready;
    /// <summary>A cordoned node keeps what it runs but takes nothing new.</summary>
    public bool Cordoned { get; init; }
    /// <summary>A draining node is cordoned and its replicas move elsewhere, each started before the old one stops.</summary>
    public bool Draining { get; init; }
    public List<Taint> Taints { get; init; } = new();
    public DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset LastHeartbeat { get; init; }
    /// <summary>Identifies one run of the agent; a new value means the agent restarted.</summary>
    public string? AgentSession { get; init; }
    /// <summary>The assignment revision the agent last reported as applied (its engine matches it).</summary>
    public long ObservedRevision { get; init; }
    /// <summary>
    /// The revision at which replicas of this node were removed because it was Down: the node is NotReady until
    /// <see cref="ObservedRevision"/> reaches it, i.e. until its agent has stopped every replica replaced meanwhile.
    /// </summary>
    public long FenceRevision { get; init; }
    /// <summary>When the state last changed, for `orc get nodes` and events.</summary>
    public DateTimeOffset StateSince { get; init; }
    /// <summary>Host ports held by programs other than this cluster's containers, as the agent last reported them; placement avoids them.</summary>
    public List<ListeningPort> PortsInUse { get; init; } = new();
    /// <summary>
    /// The node's share of the cluster range, like Kubernetes' podCIDR ("10.240.3.0/24"): its replicas take their IPs
    /// from it and the other nodes route it through <see cref="Address"/>. Empty until the control plane allocated one.
    /// </summary>
    public string Subnet { get; init; } = "";
    public long ResourceVersion { get; init; }
}

/// <summary>Sent by an agent when it starts (PUT /api/v1/nodes/{name}).</summary>
public sealed record NodeRegistration
{
    public Dictionary<string, string> Labels { get; init; } = new();
    public NodeCapacity Capacity { get; init; } = new();
    public string Address { get; init; } = "";
    /// <summary>The agent's advertised HTTP address (its --advertise-url, else its --address with the --listen port).</summary>
    public string AgentUrl { get; init; } = "";
    /// <summary>SHA-256 (hex, 64 characters) of the certificate the agent serves its API with; the control plane pins it.</summary>
    public string AgentCertificateSha256 { get; init; } = "";
    public string AgentVersion { get; init; } = "";
    public string AgentSession { get; init; } = "";
    public List<Taint> Taints { get; init; } = new();
    /// <summary>Host ports held by other programs on the node (<see cref="ListeningPort"/>); null from an agent that does not say.</summary>
    public List<ListeningPort>? PortsInUse { get; init; }
}

/// <summary>Sent every heartbeat interval (POST /api/v1/nodes/{name}/heartbeat).</summary>
public sealed record NodeHeartbeat
{
    public string AgentSession { get; init; } = "";
    /// <summary>The last assignment revision the agent has applied: its engine matches the assignments as of it.</summary>
    public long ObservedRevision { get; init; }
    /// <summary>Host ports held by other programs on the node, now; null keeps what was reported before.</summary>
    public List<ListeningPort>? PortsInUse { get; init; }
}

/// <summary>
/// A host port a program other than this cluster's containers listens on (TCP) or is bound to (UDP), as the agent reads
/// it from /proc/net in its network namespace. At most <see cref="MaxReported"/> per node, the lowest first.
/// </summary>
public sealed record ListeningPort
{
    public int Port { get; init; }
    /// <summary>"tcp" or "udp".</summary>
    public string Protocol { get; init; } = "tcp";

    /// <summary>Bounds a node's report (and its etcd record); low ports, the ones services ask for, come first.</summary>
    public const int MaxReported = 256;

    public override string ToString() => $"{Port}/{Protocol}";

    /// <summary>Why a reported list is refused, or null when it is well-formed (the agent sends it; the API checks it).</summary>
    public static string? Problem(IReadOnlyList<ListeningPort>? ports, string field)
    {
        if (ports is null) return null;
        if (ports.Count > MaxReported) return $"{field} has {ports.Count} entries; at most {MaxReported} are allowed";
        for (var i = 0; i < ports.Count; i++)
        {
            var p = ports[i];
            if (p is null) return $"{field}[{i}] is null; give {{\"port\": 1-65535, \"protocol\": \"tcp\"|\"udp\"}}";
            if (p.Port is < 1 or > 65535) return $"{field}[{i}].port is {p.Port}; allowed: 1-65535";
            if (p.Protocol is not ("tcp" or "udp")) return $"{field}[{i}].protocol is \"{p.Protocol}\"; allowed: tcp, udp";
        }
        return null;
    }
}

/// <summary>Labels the agent puts on every container it creates; the agent only ever touches containers of its own cluster.</summary>
public static class ContainerLabels
{
    public const string Managed = "orchestrator.managed";
    public const string Cluster = "orchestrator.cluster";
    public const string ReplicaId = "orchestrator.replica";
    public const string Namespace = "orchestrator.namespace";
    public const string Service = "orchestrator.service";
    public const string Slot = "orchestrator.slot";
    public const string SpecHash = "orchestrator.spec-hash";
    public const string Node = "orchestrator.node";
    /// <summary>On a Docker volume: its name in spec.volumes.</summary>
    public const string Volume = "orchestrator.volume";
    /// <summary>On a Docker volume: persistent or shared.</summary>
    public const string VolumeKind = "orchestrator.volume-kind";
}

/// <summary>The shape of <see cref="NodeRegistration.AgentUrl"/>: the base of the agent's own API, nothing more.</summary>
public static class AgentUrls
{
    public const string Allowed = "give the https URL the control plane reaches the agent at, like https://10.0.0.5:7071, without a path";

    /// <summary>An absolute https URL with nothing after the authority but an optional "/" (the agent's API is TLS only).</summary>
    public static bool IsValid(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var u) && u.Scheme == "https"
        && u.AbsolutePath == "/" && u.Query.Length == 0 && u.Fragment.Length == 0 && u.UserInfo.Length == 0;

    public const string PinAllowed = "give the SHA-256 of the agent's TLS certificate as 64 hex digits";

    /// <summary>The shape of <see cref="NodeRegistration.AgentCertificateSha256"/>: 64 hex digits.</summary>
    public static bool IsValidPin(string text) => text.Length == 64 && text.All(Uri.IsHexDigit);
}
