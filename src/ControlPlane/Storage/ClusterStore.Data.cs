using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Secrets;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>Secrets and configs: stored like services (compared on revisions, read from the cache), secrets sealed.</summary>
public sealed partial class ClusterStore
{
    /// <summary>What one transaction may carry in values; etcd refuses requests over 1.5 MiB (--max-request-bytes).</summary>
    public const int MaxTransactionBytes = 1_500_000;

    private SecretEnvelope Envelope => secrets ?? throw new InvalidOperationException("this store has no encryption key ring, so it holds no secrets");

    private static string SecretContext(string ns, string name) => $"secret {ns}/{name}";

    // ---- secrets ----

    public async Task<IReadOnlyList<DataObjectView>> ListSecretsAsync(string? ns, CancellationToken ct = default)
    {
        var items = await ReadAllAsync(ns is null ? keys.Secrets : keys.SecretsIn(ns), ct);
        return StoredRecords.Readable(items, i => StoredRecords.Read<StoredSecret>(i).View(i.ModRevision), _log);
    }

    public async Task<DataObjectView?> GetSecretAsync(string ns, string name, CancellationToken ct = default) =>
        await ReadAsync(keys.Secret(ns, name), ct) is { } stored ? StoredRecords.Read<StoredSecret>(stored).View(stored.ModRevision) : null;

    /// <summary>A secret with its values, for a node that runs a replica using it; never for an API answer.</summary>
    /// <exception cref="SecretUnreadableException">this control plane's keys do not open it</exception>
    public async Task<SecretObject?> OpenSecretAsync(string ns, string name, CancellationToken ct = default) =>
        await ReadAsync(keys.Secret(ns, name), ct) is { } stored ? Open(StoredRecords.Read<StoredSecret>(stored), stored.ModRevision) : null;

    private SecretObject Open(StoredSecret stored, long resourceVersion)
    {
        var (ns, name) = (stored.Metadata.Namespace, stored.Metadata.Name);
        var values = SecretValues.Decode(Envelope.Open(stored.Sealed, SecretContext(ns, name)));
        return new SecretObject
        {
            Metadata = stored.Metadata with { ResourceVersion = resourceVersion },
            Data = values.ToDictionary(v => v.Key, v => Convert.ToBase64String(v.Value)),
        };
    }

    private StoredSecret Seal(SecretObject secret) => new()
    {
        Metadata = secret.Metadata with { ResourceVersion = 0 },
        Keys = secret.Items(),
        Sealed = Envelope.Seal(SecretValues.Encode(secret.Data.ToDictionary(d => d.Key, d => Convert.FromBase64String(d.Value))), SecretContext(secret.Metadata.Namespace, secret.Metadata.Name)),
    };

    public Task<bool> DeleteSecretAsync(string ns, string name, CancellationToken ct = default) => DeleteOneAsync(keys.Secret(ns, name), ct);

    /// <summary>
    /// `orc secret rotate-key`: a new key seals from now on, every secret is sealed again with it (a new data key too,
    /// so every stored byte changes), then the old keys leave the key file. Answers the new key's id and how many
    /// secrets were sealed again. A secret changed meanwhile is read again and sealed again.
    /// </summary>
    public async Task<(string KeyId, int Secrets)> RotateSecretsKeyAsync(CancellationToken ct = default)
    {
        var key = Envelope.Keys.AddPrimary();
        var count = 0;
        foreach (var listed in await ReadAllAsync(keys.Secrets, ct))
        {
            for (var attempt = 0; ; attempt++)
            {
                if (await ReadAsync(listed.Key, ct) is not { } current) break;
                var stored = StoredRecords.Read<StoredSecret>(current);
                if (stored.Sealed.KeyId == key.Id) break;
                var resealed = Seal(Open(stored, current.ModRevision)) with { Metadata = stored.Metadata };
                var txn = new EtcdTxn().Require(listed.Key, current.ModRevision).PutValue(listed.Key, Json.Serialize(resealed));
                if ((await CommitAsync(txn, ct)).Succeeded) { count++; break; }
                if (attempt >= 10) throw new ConflictException($"{listed.Key} kept changing while it was sealed again; run rotate-key again");
            }
        }
        // A release's stored files and values are sealed too (a chart may render a Secret): sealed again before the old key goes.
        await ResealReleasesAsync(key.Id, ct);
        Envelope.Keys.RetireOldKeys();
        return (key.Id, count);
    }

    // ---- configs ----

    public async Task<IReadOnlyList<DataObjectView>> ListConfigsAsync(string? ns, CancellationToken ct = default)
    {
        var items = await ReadAllAsync(ns is null ? keys.Configs : keys.ConfigsIn(ns), ct);
        return StoredRecords.Readable(items, i => ReadConfig(i).View(), _log);
    }

    public async Task<ConfigObject?> GetConfigAsync(string ns, string name, CancellationToken ct = default) =>
        await ReadAsync(keys.Config(ns, name), ct) is { } stored ? ReadConfig(stored) : null;

    private static ConfigObject ReadConfig(StoredValue stored)
    {
        var config = StoredRecords.Read<ConfigObject>(stored);
        return config with { Metadata = config.Metadata with { ResourceVersion = stored.ModRevision } };
    }

    public Task<bool> DeleteConfigAsync(string ns, string name, CancellationToken ct = default) => DeleteOneAsync(keys.Config(ns, name), ct);

    // ---- both ----

    private async Task<bool> DeleteOneAsync(string key, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await ReadAsync(key, ct) is not { } current) return false;
            if ((await CommitAsync(new EtcdTxn().Require(key, current.ModRevision).DeleteKey(key), ct)).Succeeded) return true;
            if (attempt >= 10) throw new ConflictException($"{key} kept changing while it was deleted; try again");
        }
    }

    /// <summary>
    /// Adds the secrets and configs of an apply to its transaction, each compared on the revision read. Answers the
    /// version each has once written, and which of them change values (<see cref="VersionKey"/>).
    /// </summary>
    private async Task<(Dictionary<string, string> Versions, HashSet<string> Changed)> AddDataObjectsAsync(EtcdTxn txn, List<ApplyResult> results,
        IReadOnlyList<SecretObject> secretsDesired, IReadOnlyList<ConfigObject> configs, CancellationToken ct)
    {
        var versions = new Dictionary<string, string>();
        var changed = new HashSet<string>();
        void Note(string ns, string kind, string name, ObjectMeta? before, ObjectMeta after)
        {
            versions[VersionKey(ns, kind, name)] = Version(after);
            if (before is not null && before.Generation != after.Generation) changed.Add(VersionKey(ns, kind, name));
        }
        foreach (var d in secretsDesired)
        {
            var (ns, name) = (d.Metadata.Namespace, d.Metadata.Name);
            var key = keys.Secret(ns, name);
            var current = await ReadAsync(key, ct);
            var previous = current is null ? null : Open(StoredRecords.Read<StoredSecret>(current), current.ModRevision);
            var (meta, action) = NextMeta(previous?.Metadata, d.Metadata, previous is not null && Json.SameContent(previous.Data, d.Data));
            txn.Require(key, current?.ModRevision ?? 0);
            if (action != ApplyActions.Unchanged) txn.PutValue(key, Json.Serialize(Seal(d with { Metadata = meta })));
            Note(ns, DataKinds.Secret, name, previous?.Metadata, meta);
            results.Add(new ApplyResult { Kind = ObjectKinds.Secret, Namespace = ns, Name = name, Action = action, Generation = meta.Generation });
        }
        foreach (var d in configs)
        {
            var (ns, name) = (d.Metadata.Namespace, d.Metadata.Name);
            var key = keys.Config(ns, name);
            var current = await ReadAsync(key, ct);
            var previous = current is null ? null : ReadConfig(current);
            var (meta, action) = NextMeta(previous?.Metadata, d.Metadata, previous is not null && Json.SameContent(previous.Data, d.Data));
            txn.Require(key, current?.ModRevision ?? 0);
            if (action != ApplyActions.Unchanged) txn.PutValue(key, Json.Serialize(d with { Metadata = meta }));
            Note(ns, DataKinds.Config, name, previous?.Metadata, meta);
            results.Add(new ApplyResult { Kind = ObjectKinds.Config, Namespace = ns, Name = name, Action = action, Generation = meta.Generation });
        }
        return (versions, changed);
    }

    /// <summary>The metadata to store: a new object's identity, or the stored one with the labels applied and the generation
    /// bumped when the values changed.</summary>
    private (ObjectMeta Meta, string Action) NextMeta(ObjectMeta? current, ObjectMeta desired, bool dataSame)
    {
        if (current is null)
            return (desired with { Generation = 1, ResourceVersion = 0, Uid = Guid.NewGuid().ToString("N")[..12], CreatedAt = time.GetUtcNow() }, ApplyActions.Created);
        var labelsSame = Json.SameContent(current.Labels, desired.Labels);
        if (dataSame && labelsSame) return (current, ApplyActions.Unchanged);
        return (current with { Labels = desired.Labels, Generation = current.Generation + (dataSame ? 0 : 1), ResourceVersion = 0 }, ApplyActions.Configured);
    }

    /// <summary>An apply is one transaction; one that etcd would refuse as too large is refused first, naming the way out.</summary>
    private static void CheckFitsOneTransaction(EtcdTxn txn)
    {
        var bytes = txn.Operations.OfType<EtcdTxn.Put>().Sum(p => (long)p.Key.Length + p.Value.Length);
        if (bytes > MaxTransactionBytes)
            throw new ApplyTooLargeException($"this apply stores {ManifestLimits.Size(bytes)}, more than the {ManifestLimits.Size(MaxTransactionBytes)} " +
                "one etcd transaction may carry; apply large secrets or configs on their own");
    }
}

/// <summary>An apply whose objects together are more than one etcd transaction carries; the API answers 413.</summary>
public sealed class ApplyTooLargeException(string message) : Exception(message);
