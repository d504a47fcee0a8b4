namespace Orchestrator.NodeAgent.Options;

/// <summary>
/// Settings of one agent process, bound from the "Agent" configuration section
/// (appsettings, ORC_AGENT_* environment variables, command-line flags; later sources win).
/// Every default below is what the agent uses when the setting is absent.
/// </summary>
public sealed class NodeAgentOptions
{
    public const string Section = "Agent";

    /// <summary>
    /// Control-plane URLs, separated by commas ("https://a:7070,https://b:7070"): the agent talks to one at a time and
    /// turns to the next when it cannot be reached or says it is stopping. Default https://127.0.0.1:7070.
    /// </summary>
    public string Api { get; set; } = "https://127.0.0.1:7070";

    /// <summary>
    /// The cluster CA's certificate (PEM; the control plane's DATA_DIR/ca.crt). Required: the agent trusts a control plane
    /// only with a server certificate of this CA, and answers its /v1 API only to the control plane's client certificate of it.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>The control-plane URLs of <see cref="Api"/>, in order.</summary>
    public IReadOnlyList<string> ApiUrls() =>
        Api.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Name this node registers under. Default: the machine name, lower-cased.</summary>
    public string NodeName { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>Docker engine endpoint. Default unix:///var/run/docker.sock.</summary>
    public string Docker { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>
    /// Value of the orchestrator.cluster label. Default "local". The agent lists and touches only containers
    /// labelled orchestrator.managed=true and orchestrator.cluster=this value, so two clusters (or a test run)
    /// can share one engine without harming each other.
    /// </summary>
    public string Cluster { get; set; } = "local";

    /// <summary>Node labels for placement, "zone=a,disk=ssd". Default: none.</summary>
    public string Labels { get; set; } = "";

    /// <summary>Node taints, "dedicated=gpu:NoSchedule,maintenance:NoExecute": only replicas that tolerate them land (or, for NoExecute, stay) here. Default: none.</summary>
    public string Taints { get; set; } = "";

    /// <summary>Address other machines reach this node's published ports on. Default 127.0.0.1.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Allocatable cpu ("2", "1500m"). Default: Environment.ProcessorCount cores.</summary>
    public string? Cpu { get; set; }

    /// <summary>Allocatable memory ("4Gi"). Default: MemTotal of /proc/meminfo.</summary>
    public string? Memory { get; set; }

    /// <summary>How often the agent heartbeats. Default 1 s (design: NotReady after a few missed seconds).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Safety-net reconcile period when neither assignments nor engine events ask for one. Default 10 s.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the full status is reported even when nothing changed. Default 5 s.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a removed container gets to stop before it is killed. Default 10 s (Docker's own default).</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the agent serves /healthz, /metrics and its /v1 API (logs, stats), over HTTPS only. Default https://127.0.0.1:7071.</summary>
    public string Listen { get; set; } = "https://127.0.0.1:7071";

    /// <summary>
    /// The URL the control plane reaches this agent's /v1 API at (logs, stats). Default: the scheme and port of
    /// <see cref="Listen"/> on <see cref="Address"/>, so an agent started with --address 10.0.0.5 --listen https://0.0.0.0:7071
    /// advertises https://10.0.0.5:7071.
    /// </summary>
    public string? AdvertiseUrl { get; set; }

    /// <summary>
    /// A join token (orc node join-token), exchanged once for this node's own credential. Not needed once the
    /// credential file exists in <see cref="StateDir"/>. Default: none.
    /// </summary>
    public string? JoinToken { get; set; }

    /// <summary>A file holding the join token, so that it stays out of the process list. Default: none.</summary>
    public string? JoinTokenFile { get; set; }

    /// <summary>Where the agent keeps what must survive a restart: its node credential (node.credential, mode 0600). Default /var/lib/orchestrator/agent.</summary>
    public string StateDir { get; set; } = "/var/lib/orchestrator/agent";

    /// <summary>
    /// Where the files of secret and config volumes are written, a folder per replica, bound read-only into its
    /// container. Must be on tmpfs (checked before a secret is written: never on the node's disk). Default
    /// /dev/shm/orchestrator/CLUSTER/NODE.
    /// </summary>
    public string? SecretsDir { get; set; }

    public string SecretsFolder() => SecretsDir ?? Path.Combine("/dev/shm/orchestrator", Cluster, NodeName);

    /// <summary>
    /// How replicas reach each other across nodes (docs/networking.md). "host-gw": replicas join a Docker bridge on the
    /// subnet the control plane gave this node, and the other nodes' subnets are routed through their addresses (nodes on
    /// one L2 segment, as flannel's host-gw). "vxlan": the same bridge, the other nodes' subnets reached through a VXLAN
    /// device (orc-vxlan, VNI 240, UDP 4789), for nodes that do not share an L2 segment (flannel's vxlan). "none" (the default for now): replicas stay on the engine's default bridge,
    /// reachable only through their host ports.
    /// </summary>
    public string NetworkMode { get; set; } = Network.NetworkModes.None;

    /// <summary>
    /// How often the agent brings routes, rules and DNS in line besides each pushed change (and reads nodes and endpoints
    /// itself while the long poll fails). Default 2 s.
    /// </summary>
    public TimeSpan NetworkInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// With the cluster network: how long a replica being stopped keeps running, out of every node's balancing rules,
    /// before its stop signal (so that no new connection reaches it). Default 3 s: the pushed change reaches every agent
    /// within about a second; 3 s also covers one --network-interval of an agent on the poll fallback.
    /// </summary>
    public TimeSpan EndpointDrain { get; set; } = TimeSpan.FromSeconds(3);
}
