using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Nodes;

/// <summary>
/// When a heartbeat is worth an etcd write (Kubernetes' node Lease: a small renewal every 10 s, status only on change).
/// Liveness itself is kept in the node's grain; the stored heartbeat time is a lease, renewed every
/// <see cref="NodeLifecycleOptions.LeaseRenewal"/>, that says to a reader (the API views, another control plane
/// taking over) how recently the node was heard.
/// </summary>
public static class NodeLease
{
    /// <param name="stored">the node as stored</param>
    /// <param name="heard">the node after the heartbeat: its time, applied revision, ports and state</param>
    public static bool NeedsWrite(NodeInfo stored, NodeInfo heard, TimeSpan renewal) =>
        heard.LastHeartbeat - stored.LastHeartbeat >= renewal
        || heard.State != stored.State
        || heard.ObservedRevision != stored.ObservedRevision
        || !heard.PortsInUse.SequenceEqual(stored.PortsInUse);
}
