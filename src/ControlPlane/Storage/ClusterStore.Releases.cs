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
    /// <summary>Every kept revision of a release, oldest first, with its files and values opened.</summary>
    public async Task<IReadOnlyList<ReleaseRevision>> ListReleaseRevisionsAsync(string ns, string name, CancellationToken ct = default) =>
        (await ReadAllAsync(keys.ReleaseRevisionsOf(ns, name), ct)).Select(i => OpenContent(Json.Deserialize<ReleaseRevision>(i.Value)))
            .OrderBy(r => r.Revision).ToList();

    private sealed record ReleaseContent(List<ManifestFile> Files, string Values);

    private static string ReleaseContext(ReleaseRevision r) => $"release {r.Namespace}/{r.Name}/{r.Revision}";

    /// <summary>The revision as etcd holds it: files and values sealed (a store without keys, tools and tests, keeps them plain).</summary>
    private ReleaseRevision SealContent(ReleaseRevision r) => secrets is null || r.SealedContent is not null ? r : r with
    {
        Files = [], Values = "",
        SealedContent = Json.Serialize(Envelope.Seal(Json.SerializeToUtf8Bytes(new ReleaseContent(r.Files, r.Values)), ReleaseContext(r))),
    };

    /// <exception cref="Secrets.SecretUnreadableException">this control plane's keys do not open it</exception>
    private ReleaseRevision OpenContent(ReleaseRevision r)
    {
        if (r.SealedContent is not { } sealedContent) return r;
        var content = Json.Deserialize<ReleaseContent>(Envelope.Open(Json.Deserialize<Secrets.SealedValue>(sealedContent), ReleaseContext(r)));
        return r with { Files = content.Files, Values = content.Values, SealedContent = null };
    }

    /// <summary>`rotate-key`: every stored release revision sealed again with the primary key; answers how many.</summary>
    private async Task<int> ResealReleasesAsync(string keyId, CancellationToken ct)
    {
        var count = 0;
        foreach (var listed in await ReadAllAsync(keys.Releases, ct))
            for (var attempt = 0; ; attempt++)
            {
                if (await ReadAsync(listed.Key, ct) is not { } current) break;
                var stored = Json.Deserialize<ReleaseRevision>(current.Value);
                if (stored.SealedContent is null || Json.Deserialize<Secrets.SealedValue>(stored.SealedContent).KeyId == keyId) break;
                var txn = new EtcdTxn().Require(listed.Key, current.ModRevision).PutValue(listed.Key, Json.Serialize(SealContent(OpenContent(stored))));
                if ((await CommitAsync(txn, ct)).Succeeded) { count++; break; }
                if (attempt >= 10) throw new ConflictException($"{listed.Key} kept changing while it was sealed again; run rotate-key again");
            }
        return count;
    }

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
    public async Task<ReleaseOutcome> WriteReleaseAsync(ReleaseRevision next, LoadResult objects, bool mustExist,
        bool dryRun, CancellationToken ct = default)
    {
        var services = objects.Services;
        var (ns, name) = (next.Namespace, next.Name);
        for (var attempt = 0; ; attempt++)
        {
            var stored = await ReadAllAsync(keys.ReleaseRevisionsOf(ns, name), ct);
            var revisions = stored.Select(i => (Record: Json.Deserialize<ReleaseRevision>(i.Value), i.ModRevision)).OrderBy(r => r.Record.Revision).ToList();
            if (mustExist && revisions.Count == 0) return new ReleaseOutcome { NotFound = true };
            if (!mustExist && revisions.Count > 0)
                return new ReleaseOutcome { Error = $"release \"{ns}/{name}\" already exists (revision {revisions[^1].Record.Revision}); use upgrade" };
            if (await OwnershipErrorAsync(name, objects, ct) is { } owned) return new ReleaseOutcome { Error = owned };

            // Secrets and configs first, so that the services written with them carry their new versions, and a changed
            // one rolls out the services outside the release that use it too (as an apply does).
            var txn = new EtcdTxn();
            var results = new List<ApplyResult>();
            var (versions, changed) = await AddDataObjectsAsync(txn, results, objects.Secrets, objects.Configs, ct);
            var versioned = new List<ServiceObject>();
            foreach (var s in services) versioned.Add(s with { Spec = await WithDataVersionsAsync(ns, s.Spec, versions, ct) });
            results.AddRange(await AddServicesAsync(txn, versioned, ct));
            results.AddRange(await AddDataRolloutsAsync(txn, changed, versions, versioned, ct));
            var deleted = new List<ApplyResult>();
            var keep = services.Select(s => s.Key).ToHashSet();
            var current = revisions.Count > 0 ? revisions[^1] : default;
            foreach (var gone in current.Record?.Services.Where(k => !keep.Contains(k)) ?? [])
                if (await DeleteIfOwnedAsync(txn, gone, name, ct) is { } result) deleted.Add(result);
            // Then the secrets and configs no longer rendered, unless a service that stays (of the release or not) uses one.
            var deletedKeys = deleted.Select(d => $"{d.Namespace}/{d.Name}").ToHashSet();
            var servicesAfter = (await ListServicesAsync(ns, ct)).Where(s => !deletedKeys.Contains(s.Key) && !keep.Contains(s.Key)).Concat(versioned).ToList();
            var goneData = (current.Record?.Secrets.Except(objects.Secrets.Select(s => s.Key)).Select(k => (DataKinds.Secret, k)) ?? [])
                .Concat(current.Record?.Configs.Except(objects.Configs.Select(c => c.Key)).Select(k => (DataKinds.Config, k)) ?? []);
            var (dataDeleted, refusal) = await AddDataDeletionsAsync(txn, goneData, name, servicesAfter, ct);
            if (refusal is not null) return new ReleaseOutcome { Error = refusal };
            deleted.AddRange(dataDeleted);

            var revision = next with
            {
                Revision = (current.Record?.Revision ?? 0) + 1,
                Status = ReleaseStates.Deployed,
                Services = services.Select(s => s.Key).ToList(),
                Secrets = objects.Secrets.Select(s => s.Key).ToList(),
                Configs = objects.Configs.Select(c => c.Key).ToList(),
                CreatedAt = time.GetUtcNow(),
            };
            var value = Json.Serialize(SealContent(revision));
            if (value.Length > ManifestLimits.MaxObjectBytes)
                return new ReleaseOutcome { Error = $"the release's revision would be {ManifestLimits.Size(value.Length)} with its files, more than the {ManifestLimits.Size(ManifestLimits.MaxObjectBytes)} one revision may hold" };
            txn.Require(keys.ReleaseRevision(ns, name, revision.Revision), 0).PutValue(keys.ReleaseRevision(ns, name, revision.Revision), value);
            if (current.Record is { } previous)
                txn.Require(keys.ReleaseRevision(ns, name, previous.Revision), current.ModRevision)
                    .PutValue(keys.ReleaseRevision(ns, name, previous.Revision), Json.Serialize(previous with { Status = ReleaseStates.Superseded }));
            foreach (var old in revisions.Take(Math.Max(0, revisions.Count + 1 - ManifestLimits.MaxReleaseRevisions)))
                txn.DeleteKey(keys.ReleaseRevision(ns, name, old.Record.Revision));

            CheckFitsOneTransaction(txn);
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
            // Services first, then the secrets and configs they used: one that a service outside the release uses refuses it all.
            var deletedKeys = deleted.Select(d => $"{d.Namespace}/{d.Name}").ToHashSet();
            var servicesAfter = (await ListServicesAsync(ns, ct)).Where(s => !deletedKeys.Contains(s.Key)).ToList();
            var data = revisions[^1].Secrets.Select(k => (DataKinds.Secret, k)).Concat(revisions[^1].Configs.Select(k => (DataKinds.Config, k)));
            var (dataDeleted, refusal) = await AddDataDeletionsAsync(txn, data, name, servicesAfter, ct);
            if (refusal is not null) return new ReleaseOutcome { Error = refusal };
            deleted.AddRange(dataDeleted);
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

    /// <summary>An object the release would write that exists and is not the release's own: refused, never taken over.</summary>
    private async Task<string?> OwnershipErrorAsync(string release, LoadResult objects, CancellationToken ct)
    {
        var existing = new List<(string Kind, string Key, ObjectMeta? Meta)>();
        foreach (var s in objects.Services) existing.Add(("service", s.Key, (await GetServiceAsync(s.Metadata.Namespace, s.Metadata.Name, ct))?.Metadata));
        foreach (var s in objects.Secrets) existing.Add((DataKinds.Secret, s.Key, (await GetSecretAsync(s.Metadata.Namespace, s.Metadata.Name, ct))?.Metadata));
        foreach (var c in objects.Configs) existing.Add((DataKinds.Config, c.Key, (await GetConfigAsync(c.Metadata.Namespace, c.Metadata.Name, ct))?.Metadata));
        foreach (var (kind, key, meta) in existing)
        {
            if (meta is null) continue;
            var owner = meta.Labels.GetValueOrDefault(ReleaseLabels.Release);
            if (owner == release) continue;
            return owner is null
                ? $"{kind} \"{key}\" exists and belongs to no release; delete it or rename the release's {kind}"
                : $"{kind} \"{key}\" belongs to release \"{owner}\"";
        }
        return null;
    }

    /// <summary>
    /// Adds the deletion of each secret or config ("ns/name") that still carries the release's label, compared on its
    /// revision; a refusal when one of <paramref name="servicesAfter"/> (what stays once the write is done) uses it.
    /// </summary>
    private async Task<(List<ApplyResult> Deleted, string? Refusal)> AddDataDeletionsAsync(EtcdTxn txn, IEnumerable<(string Kind, string Key)> objects,
        string release, IReadOnlyList<ServiceObject> servicesAfter, CancellationToken ct)
    {
        var deleted = new List<ApplyResult>();
        foreach (var (kind, objectKey) in objects)
        {
            var (ns, name) = (objectKey[..objectKey.IndexOf('/')], objectKey[(objectKey.IndexOf('/') + 1)..]);
            var key = kind == DataKinds.Secret ? keys.Secret(ns, name) : keys.Config(ns, name);
            var meta = (await DataViewAsync(kind, ns, name, ct))?.Metadata;
            if (meta is null || meta.Labels.GetValueOrDefault(ReleaseLabels.Release) != release) continue;
            if (DataObjectUse.Refusal(kind, ns, name, servicesAfter) is { } refusal) return ([], refusal);
            txn.Require(key, meta.ResourceVersion).DeleteKey(key);
            deleted.Add(new ApplyResult { Kind = kind == DataKinds.Secret ? ObjectKinds.Secret : ObjectKinds.Config, Namespace = ns, Name = name, Action = ApplyActions.Deleted });
        }
        return (deleted, null);
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
