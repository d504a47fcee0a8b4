using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>What a release write did, or why it was refused (nothing written then).</summary>
public sealed record ReleaseOutcome
{
    public long Revision { get; init; }
    public List<ApplyResult> Results { get; init; } = new();
    /// <summary>Services the write deleted (no longer rendered, or uninstalled): their grains must let go.</summary>
    public List<ApplyResult> Deleted { get; init; } = new();
    public bool NotFound { get; init; }
    /// <summary>A refusal a person can act on ("release exists, use upgrade", "service belongs to release b").</summary>
    public string? Error { get; init; }
}

/// <summary>
/// Releases (Helm 3's model): each revision is one key holding the chart, the values and the rendered files. An
/// install, upgrade or rollback is ONE transaction: every service of the revision, the deletion of services the
/// previous revision had and this one has not, the new revision key (required absent, so two writers of the same
/// revision cannot both win) and the previous one marked superseded (compared on its revision).
/// </summary>
public sealed partial class ClusterStore
{
    public async Task<IReadOnlyList<ReleaseRevision>> ListReleaseRevisionsAsync(string ns, string name, CancellationToken ct = default) =>
        (await ReadAllAsync(keys.ReleaseRevisionsOf(ns, name), ct)).Select(i => Json.Deserialize<ReleaseRevision>(i.Value))
            .OrderBy(r => r.Revision).ToList();

    /// <summary>The newest revision of every release (of one namespace, or all).</summary>
    public async Task<IReadOnlyList<ReleaseRevision>> ListReleasesAsync(string? ns, CancellationToken ct = default)
    {
        var items = await ReadAllAsync(ns is null ? keys.Releases : keys.ReleasesIn(ns), ct);
        return StoredRecords.Readable(items, i => Json.Deserialize<ReleaseRevision>(i.Value), _log)
            .GroupBy(r => (r.Namespace, r.Name))
            .Select(g => g.MaxBy(r => r.Revision)!)
            .OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Writes <paramref name="next"/> (its Revision is assigned here) with its services. <paramref name="mustExist"/>:
    /// an upgrade or rollback needs a release, an install needs none.
    /// </summary>
    public async Task<ReleaseOutcome> WriteReleaseAsync(ReleaseRevision next, IReadOnlyList<ServiceObject> services, bool mustExist,
        bool dryRun, CancellationToken ct = default)
    {
        var (ns, name) = (next.Namespace, next.Name);
        for (var attempt = 0; ; attempt++)
        {
            var stored = await ReadAllAsync(keys.ReleaseRevisionsOf(ns, name), ct);
            var revisions = stored.Select(i => (Record: Json.Deserialize<ReleaseRevision>(i.Value), i.ModRevision)).OrderBy(r => r.Record.Revision).ToList();
            if (mustExist && revisions.Count == 0) return new ReleaseOutcome { NotFound = true };
            if (!mustExist && revisions.Count > 0)
                return new ReleaseOutcome { Error = $"release \"{ns}/{name}\" already exists (revision {revisions[^1].Record.Revision}); use upgrade" };
            if (await OwnershipErrorAsync(name, services, ct) is { } owned) return new ReleaseOutcome { Error = owned };

            var txn = new EtcdTxn();
            var versioned = new List<ServiceObject>();
            foreach (var s in services) versioned.Add(s with { Spec = await WithDataVersionsAsync(ns, s.Spec, new Dictionary<string, string>(), ct) });
            var results = await AddServicesAsync(txn, versioned, ct);
            var deleted = new List<ApplyResult>();
            var keep = services.Select(s => s.Key).ToHashSet();
            var current = revisions.Count > 0 ? revisions[^1] : default;
            foreach (var gone in current.Record?.Services.Where(k => !keep.Contains(k)) ?? [])
                if (await DeleteIfOwnedAsync(txn, gone, name, ct) is { } result) deleted.Add(result);

            var revision = next with
            {
                Revision = (current.Record?.Revision ?? 0) + 1,
                Status = ReleaseStates.Deployed,
                Services = services.Select(s => s.Key).ToList(),
                CreatedAt = time.GetUtcNow(),
            };
            var value = Json.Serialize(revision);
            if (value.Length > ManifestLimits.MaxObjectBytes)
                return new ReleaseOutcome { Error = $"the release's revision would be {ManifestLimits.Size(value.Length)} with its files, more than the {ManifestLimits.Size(ManifestLimits.MaxObjectBytes)} one revision may hold" };
            txn.Require(keys.ReleaseRevision(ns, name, revision.Revision), 0).PutValue(keys.ReleaseRevision(ns, name, revision.Revision), value);
            if (current.Record is { } previous)
                txn.Require(keys.ReleaseRevision(ns, name, previous.Revision), current.ModRevision)
                    .PutValue(keys.ReleaseRevision(ns, name, previous.Revision), Json.Serialize(previous with { Status = ReleaseStates.Superseded }));
            foreach (var old in revisions.Take(Math.Max(0, revisions.Count + 1 - ManifestLimits.MaxReleaseRevisions)))
                txn.DeleteKey(keys.ReleaseRevision(ns, name, old.Record.Revision));

            var outcome = new ReleaseOutcome { Revision = revision.Revision, Results = results.Concat(deleted).ToList(), Deleted = deleted };
            if (dryRun || (await CommitAsync(txn, ct)).Succeeded) return outcome;
            if (attempt >= 10) throw new ConflictException($"release {ns}/{name} or its services kept changing while it was written; try again");
        }
    }

    /// <summary>Deletes the current revision's services and every revision of the release, in one transaction.</summary>
    public async Task<ReleaseOutcome> UninstallReleaseAsync(string ns, string name, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var revisions = await ListReleaseRevisionsAsync(ns, name, ct);
            if (revisions.Count == 0) return new ReleaseOutcome { NotFound = true };
            var txn = new EtcdTxn();
            var deleted = new List<ApplyResult>();
            foreach (var key in revisions[^1].Services)
                if (await DeleteIfOwnedAsync(txn, key, name, ct) is { } result) deleted.Add(result);
            // Compared on the newest revision: an upgrade meanwhile makes this read again.
            var newest = await ReadAsync(keys.ReleaseRevision(ns, name, revisions[^1].Revision), ct);
            txn.Require(keys.ReleaseRevision(ns, name, revisions[^1].Revision), newest?.ModRevision ?? 0)
                .Require(keys.ReleaseRevision(ns, name, revisions[^1].Revision + 1), 0)
                .DeleteAllUnder(keys.ReleaseRevisionsOf(ns, name));
            if ((await CommitAsync(txn, ct)).Succeeded)
                return new ReleaseOutcome { Revision = revisions[^1].Revision, Results = deleted, Deleted = deleted };
            if (attempt >= 10) throw new ConflictException($"release {ns}/{name} kept changing while it was uninstalled; try again");
        }
    }

    /// <summary>A service the release would write that exists and is not the release's own: refused, never taken over.</summary>
    private async Task<string?> OwnershipErrorAsync(string release, IReadOnlyList<ServiceObject> services, CancellationToken ct)
    {
        foreach (var s in services)
        {
            if (await GetServiceAsync(s.Metadata.Namespace, s.Metadata.Name, ct) is not { } existing) continue;
            var owner = existing.Metadata.Labels.GetValueOrDefault(ReleaseLabels.Release);
            if (owner == release) continue;
            return owner is null
                ? $"service \"{s.Key}\" exists and belongs to no release; delete it or rename the release's service"
                : $"service \"{s.Key}\" belongs to release \"{owner}\"";
        }
        return null;
    }

    /// <summary>Adds the deletion of a service that still carries the release's label; one changed meanwhile is left alone.</summary>
    private async Task<ApplyResult?> DeleteIfOwnedAsync(EtcdTxn txn, string serviceKey, string release, CancellationToken ct)
    {
        var (ns, name) = (serviceKey[..serviceKey.IndexOf('/')], serviceKey[(serviceKey.IndexOf('/') + 1)..]);
        var current = await ReadAsync(keys.Service(ns, name), ct);
        if (current is null || ReadService(current).Metadata.Labels.GetValueOrDefault(ReleaseLabels.Release) != release) return null;
        AddServiceDeletion(txn, ns, name, current.ModRevision);
        await AddVolumeReclaimAsync(txn, ReadService(current), ct);
        return new ApplyResult { Kind = ObjectKinds.Service, Namespace = ns, Name = name, Action = ApplyActions.Deleted };
    }
}
