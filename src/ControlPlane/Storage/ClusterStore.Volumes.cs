using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// Volume records (where a persistent volume's data is: the scheduler keeps its slot there) and reclaim requests (the
/// volumes of a deleted service with reclaimPolicy Delete, which the nodes still have to remove). docs/volumes.md.
/// </summary>
public sealed partial class ClusterStore
{
    /// <summary>Every volume record, or a namespace's, or a service's; from the cache.</summary>
    public async Task<IReadOnlyList<VolumeRecord>> ListVolumeRecordsAsync(string? ns = null, string? service = null, CancellationToken ct = default)
    {
        var prefix = ns is null ? keys.Volumes : service is null ? $"{keys.Volumes}{ns}/" : keys.VolumesOf(ns, service);
        var items = await ReadAllAsync(prefix, ct);
        return StoredRecords.Readable(items, i => StoredRecords.Read<VolumeRecord>(i) with { ResourceVersion = i.ModRevision }, _log);
    }

    /// <summary>Removes a record as read (compared on its revision): the slot is free to go anywhere again.</summary>
    public async Task<bool> DeleteVolumeRecordAsync(VolumeRecord record, CancellationToken ct = default)
    {
        var key = keys.Volume(record.Namespace, record.Service, record.Name);
        return (await CommitAsync(new EtcdTxn().Require(key, record.ResourceVersion).DeleteKey(key), ct)).Succeeded;
    }

    public async Task<IReadOnlyList<(VolumeReclaim Reclaim, long Revision)>> ListVolumeReclaimsAsync(CancellationToken ct = default)
    {
        var items = await ReadAllAsync(keys.VolumeReclaims, ct);
        return StoredRecords.Readable(items, i => (StoredRecords.Read<VolumeReclaim>(i), i.ModRevision), _log);
    }

    /// <summary>Done (or moot: the service exists again and owns its volumes): the request goes, if nobody changed it meanwhile.</summary>
    public async Task<bool> DeleteVolumeReclaimAsync(VolumeReclaim reclaim, long revision, CancellationToken ct = default)
    {
        var key = keys.VolumeReclaim(reclaim.Namespace, reclaim.Service);
        return (await CommitAsync(new EtcdTxn().Require(key, revision).DeleteKey(key), ct)).Succeeded;
    }

    /// <summary>
    /// With a service's deletion: the records of its volumes with reclaimPolicy Delete go, and a reclaim request for them
    /// is written (merged with one still open), so that the nodes remove their data. Retained volumes keep their records:
    /// a service created again under the name finds each slot's data where it was.
    /// </summary>
    private async Task AddVolumeReclaimAsync(EtcdTxn txn, ServiceObject service, CancellationToken ct)
    {
        var deleted = (service.Spec.Volumes ?? []).Where(v => v.Kind is VolumeKinds.Persistent or VolumeKinds.Shared
            && v.ReclaimPolicy == VolumeReclaimPolicy.Delete).Select(v => v.Name).ToHashSet();
        if (deleted.Count == 0) return;
        var (ns, name) = (service.Metadata.Namespace, service.Metadata.Name);
        foreach (var record in await ListVolumeRecordsAsync(ns, name, ct))
            if (deleted.Contains(record.Volume))
                txn.Require(keys.Volume(ns, name, record.Name), record.ResourceVersion).DeleteKey(keys.Volume(ns, name, record.Name));
        var key = keys.VolumeReclaim(ns, name);
        var open = await ReadAsync(key, ct);
        var previous = open is null ? [] : StoredRecords.Read<VolumeReclaim>(open).Volumes;
        txn.Require(key, open?.ModRevision ?? 0).PutValue(key, Json.Serialize(new VolumeReclaim
        {
            Namespace = ns,
            Service = name,
            Volumes = previous.Union(deleted).Order(StringComparer.Ordinal).ToList(),
            RequestedAt = time.GetUtcNow(),
        }));
    }
}
