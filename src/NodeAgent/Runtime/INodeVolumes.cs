using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>This cluster's persistent and shared Docker volumes on the node: listed with sizes and users, removed on request.</summary>
public interface INodeVolumes
{
    Task<IReadOnlyList<NodeVolume>> ListVolumesAsync(CancellationToken ct);

    /// <summary>True when removed, false when there was no such volume of this cluster; <see cref="VolumeInUseException"/> while a container mounts it.</summary>
    Task<bool> RemoveVolumeAsync(string name, CancellationToken ct);
}
