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
        // The applied revision matters only to a fenced node (it lifts the fence, which changes the state: written then);
        // otherwise it moves with every assignment bookmark, and writing it was a third of the writes at rest.
        || (stored.ObservedRevision < stored.FenceRevision && heard.ObservedRevision != stored.ObservedRevision)
        || !heard.PortsInUse.SequenceEqual(stored.PortsInUse);

    /// <summary>
    /// Whether the lease went unrenewed past its period (with two checks of slack): no activation of the node's grain
    /// heard the node lately, or there is none (its control plane stopped or died). Only such a node needs the node
    /// monitor's visit; a live node's grain renews its lease and judges it itself.
    /// </summary>
    public static bool Lapsed(NodeInfo stored, DateTimeOffset now, NodeLifecycleOptions options) =>
        now - stored.LastHeartbeat > options.LeaseRenewal + options.CheckInterval * 2;
}
