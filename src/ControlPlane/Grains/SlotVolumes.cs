using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// A service's persistent volumes as placement needs them: which slots are pinned to the node that holds their data
/// (from the volume records), and the records to write for a slot placed for the first time.
/// </summary>
public sealed class SlotVolumes
{
    private readonly List<VolumeSpec> _persistent;
    private readonly HashSet<string> _recorded;

    private SlotVolumes(ServiceObject service, IReadOnlyList<VolumeRecord> records)
    {
        _persistent = (service.Spec.Volumes ?? []).Where(v => v.Persistent is not null).ToList();
        var wanted = _persistent.Select(v => v.Name).ToHashSet();
        var current = records.Where(r => r.Slot is not null && wanted.Contains(r.Volume)).ToList();
        _recorded = current.Select(r => r.Name).ToHashSet();
        // Volumes of one slot are made together, so they agree; should they not, the oldest record wins.
        Pins = current.OrderBy(r => r.CreatedAt).GroupBy(r => r.Slot!.Value).ToDictionary(g => g.Key, g => g.First().Node);
    }

    /// <summary>Slot -> the node that holds its data.</summary>
    public IReadOnlyDictionary<int, string> Pins { get; }

    public static async Task<SlotVolumes> ReadAsync(ClusterStore store, ServiceObject service) =>
        new(service, service.Spec.Volumes?.Any(v => v.Persistent is not null) == true
            ? await store.ListVolumeRecordsAsync(service.Metadata.Namespace, service.Metadata.Name)
            : []);

    /// <summary>The records of the replica's slot that do not exist yet: its volumes are made where it was placed.</summary>
    public IReadOnlyList<VolumeRecord> NewRecords(Replica replica, DateTimeOffset now) =>
        _persistent
            .Select(v => new VolumeRecord
            {
                Name = VolumeNames.Persistent(replica.Namespace, replica.Service, v.Name, replica.Slot),
                Namespace = replica.Namespace,
                Service = replica.Service,
                Volume = v.Name,
                Kind = VolumeKinds.Persistent,
                Slot = replica.Slot,
                Node = replica.Node,
                CreatedAt = now,
            })
            .Where(r => !_recorded.Contains(r.Name))
            .ToList();
}
