using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// One node in a <see cref="SchedulingState"/>: its record, what is allocated there, and facts about it computed once
/// (the rejection text of each taint) so that filters read totals and constants instead of walking replicas or
/// formatting strings once per placement.
/// </summary>
public sealed class NodeCandidate
{
    // Most nodes bind no host port at all; a set is made only for those that do.
    private Dictionary<HostPort, int>? _hostPorts;

    internal NodeCandidate(NodeInfo info, int index)
    {
        Info = info;
        Index = index;
        NameHash = TieBreak.HashName(info.Name);
        UntoleratedTaintReasons = info.Taints.Select(t => $"{Reasons.UntoleratedTaint} {Describe(t)}").ToArray();
        HasPreferNoSchedule = info.Taints.Any(t => t.Effect == TaintEffect.PreferNoSchedule);
        HasTaints = info.Taints.Count > 0;
        IsReadyAndUncordoned = info.State == NodeState.Ready && !info.Cordoned;
        CapacityMilliCpu = info.Capacity.MilliCpu;
        CapacityMemoryBytes = info.Capacity.MemoryBytes;
        if (info.PortsInUse.Count > 0)
            _otherPrograms = info.PortsInUse.Select(p => HostPort.Of(p.Port, p.Protocol)).Distinct()
                .ToDictionary(p => p, p => $"{Reasons.HostPortHeldByOtherProgram}: {p} on {info.Name}");
    }

    // Host ports the node's agent reported as held by other programs, each with its rejection text made once.
    private readonly Dictionary<HostPort, string>? _otherPrograms;

    public NodeInfo Info { get; }

    public string Name => Info.Name;

    /// <summary>Position in the state's name-ordered node array; per-node counts are indexed by it.</summary>
    public int Index { get; }

    // Copies of the NodeInfo fields every slot reads, so the hot loop touches this one object per node rather than
    // following NodeInfo -> NodeCapacity -> List<Taint> into three more cache lines.
    public long CapacityMilliCpu { get; }

    public long CapacityMemoryBytes { get; }

    internal bool IsReadyAndUncordoned { get; }

    internal bool HasTaints { get; }

    public long AllocatedMilliCpu { get; private set; }

    public long AllocatedMemoryBytes { get; private set; }

    /// <summary>"had untolerated taint dedicated=gpu" for each of <see cref="NodeInfo.Taints"/>, in order.</summary>
    internal string[] UntoleratedTaintReasons { get; }

    internal bool HasPreferNoSchedule { get; }

    /// <summary>The evaluation-independent half of the tie-break, hashed once.</summary>
    internal ulong NameHash { get; }

    public bool IsHostPortInUse(HostPort port) => _hostPorts is not null && _hostPorts.ContainsKey(port);

    /// <summary>"host port in use by another program: 2379/tcp on vm" when a program outside the cluster holds the port; else null.</summary>
    public string? OtherProgramOn(HostPort port) => _otherPrograms?.GetValueOrDefault(port);

    /// <summary>Counts a container as allocated here (sign +1) or releases it (sign -1).</summary>
    internal void Allocate(ContainerSpec container, int sign)
    {
        AllocatedMilliCpu += sign * container.MilliCpu;
        AllocatedMemoryBytes += sign * container.MemoryBytes;
        foreach (var spec in container.Ports)
        {
            if (!HostPort.TryFrom(spec, out var port)) continue;
            // Counted rather than a set: a snapshot may hold two replicas on one port (a race the agent lost), and
            // removing one of them must not free the port while the other still binds it.
            _hostPorts ??= new Dictionary<HostPort, int>();
            var count = _hostPorts.GetValueOrDefault(port) + sign;
            if (count > 0) _hostPorts[port] = count;
            else _hostPorts.Remove(port);
        }
    }

    private static string Describe(Taint taint) => taint.Value.Length == 0 ? taint.Key : $"{taint.Key}={taint.Value}";
}
