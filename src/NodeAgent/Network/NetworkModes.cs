namespace Orchestrator.NodeAgent.Network;

/// <summary>The values of --network-mode (docs/networking.md).</summary>
public static class NetworkModes
{
    /// <summary>Replicas on the engine's default bridge, reachable through host ports only.</summary>
    public const string None = "none";
    /// <summary>A bridge on the node's subnet; other nodes' subnets routed through their addresses (one L2 segment).</summary>
    public const string HostGw = "host-gw";
    /// <summary>As host-gw, but other nodes' subnets reached through a VXLAN device (<see cref="VxlanPlan"/>): nodes need only UDP 4789 between them.</summary>
    public const string Vxlan = "vxlan";
}
