using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>Owns one machine: its registration, heartbeats and the status its agent reports.</summary>
public interface INodeGrain : IGrainWithStringKey
{
    Task<NodeInfo> Register(NodeRegistration registration);
    /// <summary>Null when the node is not registered (the agent must register again).</summary>
    Task<NodeInfo?> Heartbeat(NodeHeartbeat heartbeat);
    Task ReportStatus(NodeStatusReport report);
    /// <summary>Keeps this node's activation, which judges its silence on its own timer; does nothing else.</summary>
    Task Watch();
    /// <summary>Cordon (take nothing new), drain (cordon and move everything off), or neither; null when unknown.</summary>
    Task<NodeInfo?> SetScheduling(bool cordoned, bool draining);
}
