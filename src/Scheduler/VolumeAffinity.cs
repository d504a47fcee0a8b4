using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// Local-volume affinity (Kubernetes' local PersistentVolume nodeAffinity): a slot whose persistent volume already exists
/// goes back to the node that holds it or nowhere, because its data is there. Every other filter still applies to that
/// one node, so a pinned slot waits, Pending with a reason that names the slot and the node, rather than start empty
/// elsewhere. Slots without a volume yet are placed as any other and their volume is made where they land.
/// </summary>
public static class VolumeAffinity
{
    public const string Name = "volume affinity";

    /// <summary>"volume data of slot 2 is on node h2, which is Down": the reason a pinned slot waits.</summary>
    public static string Reason(int slot, string node, string why) => $"volume data of slot {slot} is on node {node}, {why}";

    /// <summary>The pinned node when every filter takes it, else null with the reason.</summary>
    internal static NodeCandidate? Choose(PlacementContext ctx, int slot, string pinned, Func<PlacementContext, NodeCandidate, FilterStatus> filter, out string? reason)
    {
        reason = null;
        if (ctx.Node(pinned) is not { } node)
        {
            reason = Reason(slot, pinned, "which is not a registered node");
            return null;
        }
        if (node.Info.State != NodeState.Ready)
        {
            reason = Reason(slot, pinned, $"which is {node.Info.State}");
            return null;
        }
        var status = filter(ctx, node);
        if (status.IsSuccess) return node;
        reason = Reason(slot, pinned, $"which cannot take it: {status.Reason}");
        return null;
    }
}
