using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>A volume that a container still mounts: the engine refuses to remove it.</summary>
public sealed class VolumeInUseException(string message) : Exception(message);

/// <summary>The persistent and shared volumes of this cluster on this engine (<see cref="INodeVolumes"/>).</summary>
public sealed partial class DockerRuntime : INodeVolumes
{
    public async Task<IReadOnlyList<NodeVolume>> ListVolumesAsync(CancellationToken ct)
    {
        var listed = await _client.Volumes.ListAsync(new VolumesListParameters { Filters = ClusterFilter() }, ct);
        var containers = await _client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = ClusterFilter() }, ct);
        var users = new Dictionary<string, List<string>>();
        foreach (var c in containers)
            foreach (var m in c.Mounts ?? [])
                if (m.Type == "volume" && m.Name is { } v)
                {
                    if (!users.TryGetValue(v, out var list)) users[v] = list = [];
                    list.Add((c.Names?.FirstOrDefault() ?? c.ID).TrimStart('/'));
                }
        return (listed.Volumes ?? [])
            .Select(v =>
            {
                var labels = v.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(v.Labels);
                return new NodeVolume
                {
                    Name = v.Name,
                    Namespace = labels.GetValueOrDefault(ContainerLabels.Namespace) ?? "",
                    Service = labels.GetValueOrDefault(ContainerLabels.Service) ?? "",
                    Volume = labels.GetValueOrDefault(ContainerLabels.Volume) ?? "",
                    Kind = labels.GetValueOrDefault(ContainerLabels.VolumeKind) ?? "",
                    Slot = int.TryParse(labels.GetValueOrDefault(ContainerLabels.Slot), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null,
                    SizeBytes = VolumeSize.OnDisk(v.Mountpoint),
                    UsedBy = users.GetValueOrDefault(v.Name)?.Order(StringComparer.Ordinal).ToList() ?? [],
                };
            })
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// A named volume the replica would mount that exists but is not this cluster's (another cluster on the same engine,
    /// a volume made by hand): the replica is refused with the reason rather than handed someone else's data.
    /// </summary>
    private async Task RefuseForeignVolumesAsync(Replica replica, CancellationToken ct)
    {
        foreach (var mount in ReplicaMounts.For(replica, _cluster, _node, []).Where(m => m.Source is not null))
        {
            VolumeResponse existing;
            try { existing = await _client.Volumes.InspectAsync(mount.Source, ct); }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound) { continue; }
            var owner = existing.Labels?.TryGetValue(ContainerLabels.Cluster, out var cluster) == true ? cluster : null;
            if (owner != _cluster)
                throw new ContainerRefusedException(owner is null
                    ? $"volume {mount.Source} exists on node {_node} but was not made by the orchestrator; remove or rename it"
                    : $"volume {mount.Source} on node {_node} belongs to cluster {owner}, not {_cluster}");
        }
    }

    public async Task<bool> RemoveVolumeAsync(string name, CancellationToken ct)
    {
        VolumeResponse volume;
        try { volume = await _client.Volumes.InspectAsync(name, ct); }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound) { return false; }
        // Only this cluster's volumes: a name is never enough to remove someone else's data.
        var labels = volume.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(volume.Labels);
        if (labels.GetValueOrDefault(ContainerLabels.Cluster) != _cluster || labels.GetValueOrDefault(ContainerLabels.Managed) != "true")
            return false;
        try
        {
            await _client.Volumes.RemoveAsync(name, force: false, ct);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound) { return false; }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new VolumeInUseException($"volume {name} is in use by a container on this node");
        }
    }
}
