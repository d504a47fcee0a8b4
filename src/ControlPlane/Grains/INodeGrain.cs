using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>Owns one machine: its registration, heartbeats and the status its agent reports.</summary>
public interface INodeGrain : IGrainWithStringKey
{
    Task<NodeInfo> Register(NodeRegistration registration);
    /// <summary>Null when the node is not registered (the agent must register again).</summary>
    Task<NodeInfo?> Heartbeat(NodeHeartbeat heartbeat);
    Task ReportStatus(NodeStatusReport report);
}
