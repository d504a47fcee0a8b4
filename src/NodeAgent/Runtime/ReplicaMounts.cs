using System.Globalization;
using Docker.DotNet.Models;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>
/// spec.volumeMounts as the engine's mounts (docs/volumes.md): persistent and shared volumes are Docker named volumes the
/// engine makes at the first mount, labelled with cluster, service, volume and slot so that the agent can list and remove
/// them; emptyDir is an anonymous volume removed with the container, or a tmpfs with medium Memory. Secret and config
/// volumes are the replica's folder of files on the agent's tmpfs (<see cref="ReplicaDataFiles"/>), bound in read-only,
/// at their mounts or a secret's default path (docs/secrets.md).
/// </summary>
public static class ReplicaMounts
{
    public static List<Mount> For(Replica replica, string cluster, string node, IReadOnlyList<BindMount> dataFiles)
    {
        var spec = replica.Container;
        var mounts = spec.VolumeMounts ?? [];
        var volumes = (spec.Volumes ?? []).ToDictionary(v => v.Name);
        var result = new List<Mount>(mounts.Count + dataFiles.Count);
        foreach (var m in mounts)
        {
            // The manifest reader refuses a mount of an undefined volume; an older or foreign record is skipped, not fatal.
            // Secret and config volumes are the data files below.
            if (!volumes.TryGetValue(m.Name, out var v) || v.Data is not null) continue;
            result.Add(v switch
            {
                { Persistent: not null } => Named(VolumeNames.Persistent(replica.Namespace, replica.Service, v.Name, replica.Slot), VolumeKinds.Persistent, replica.Slot),
                { Shared: not null } => Named(VolumeNames.Shared(replica.Namespace, replica.Service, v.Name), VolumeKinds.Shared, null),
                { EmptyDir.Medium: EmptyDirVolumeSource.MemoryMedium } => new Mount { Type = "tmpfs", Target = m.MountPath, ReadOnly = m.ReadOnly },
                // emptyDir on disk, and a kind this agent does not know: an anonymous volume removed with the container.
                _ => new Mount { Type = "volume", Target = m.MountPath, ReadOnly = m.ReadOnly },
            });

            Mount Named(string name, string kind, int? slot)
            {
                var labels = new Dictionary<string, string>
                {
                    [ContainerLabels.Managed] = "true",
                    [ContainerLabels.Cluster] = cluster,
                    [ContainerLabels.Namespace] = replica.Namespace,
                    [ContainerLabels.Service] = replica.Service,
                    [ContainerLabels.Volume] = v.Name,
                    [ContainerLabels.VolumeKind] = kind,
                    [ContainerLabels.Node] = node,
                };
                if (slot is { } s) labels[ContainerLabels.Slot] = s.ToString(CultureInfo.InvariantCulture);
                return new Mount
                {
                    Type = "volume",
                    Source = name,
                    Target = m.MountPath,
                    ReadOnly = m.ReadOnly,
                    VolumeOptions = new VolumeOptions { Labels = labels },
                };
            }
        }
        result.AddRange(dataFiles.Select(f => new Mount { Type = "bind", Source = f.Source, Target = f.Target, ReadOnly = f.ReadOnly }));
        return result;
    }
}
