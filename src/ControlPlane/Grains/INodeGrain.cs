using Orchestrator.Contracts;
using Orleans.Concurrency;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>Owns one machine: its registration, heartbeats and the status its agent reports.</summary>
public interface INodeGrain : IGrainWithStringKey
{
    Task<NodeInfo> Register(NodeRegistration registration);
    /// <summary>Null when the node is not registered (the agent must register again).</summary>
    /// <remarks>
    /// Interleaved with the grain's other work: a heartbeat must never wait behind a status report's etcd writes (at
    /// 1,000 nodes those queued heartbeats past the agents' 5 s time-out, and the nodes went NotReady while they ran).
    /// What it writes is compared on the node record's revision like every other write of the node.
    /// </remarks>
    [AlwaysInterleave]
    Task<NodeInfo?> Heartbeat(NodeHeartbeat heartbeat);
    Task ReportStatus(NodeStatusReport report);
    /// <summary>Keeps this node's activation, which judges its silence on its own timer; does nothing else.</summary>
    Task Watch();
    /// <summary>Cordon (take nothing new), drain (cordon and move everything off), or neither; null when unknown.</summary>
    Task<NodeInfo?> SetScheduling(bool cordoned, bool draining);
}
