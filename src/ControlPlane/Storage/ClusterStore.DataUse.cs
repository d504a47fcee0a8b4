using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// Services using secrets and configs: an apply refuses a reference to a missing object or key (unless optional), each
/// service's spec records the version of every object it uses (<see cref="ServiceSpec.DataVersions"/>), and a changed
/// object gives every service that uses it a new revision in the same transaction ("secret db changed"), which the
/// rollout machinery then rolls out. Only names, keys and versions are read here: no value is opened.
/// </summary>
public sealed partial class ClusterStore
{
    /// <summary>The keys of a secret (from its stored names, not its sealed values) or config; null when there is none.</summary>
    private async Task<DataObjectView?> DataViewAsync(string kind, string ns, string name, CancellationToken ct) =>
        kind == DataKinds.Secret ? await GetSecretAsync(ns, name, ct) : (await GetConfigAsync(ns, name, ct))?.View();

    /// <summary>
    /// The references of an apply that name an object or key that neither the apply nor the cluster has, as errors at
    /// the place they were written; an optional reference is never one.
    /// </summary>
    public async Task<List<ValidationError>> MissingReferencesAsync(LoadResult loaded, CancellationToken ct = default)
    {
        var errors = new List<ValidationError>();
        foreach (var reference in loaded.References.Where(r => !r.Optional))
        {
            var keysOf = KeysInApply(loaded, reference.Kind, reference.Namespace, reference.Name)
                ?? (await DataViewAsync(reference.Kind, reference.Namespace, reference.Name, ct))?.Keys.Select(k => k.Name).ToList();
            var what = $"{reference.Kind} {reference.Namespace}/{reference.Name}";
            if (keysOf is null)
                errors.Add(reference.At with { Message = $"{what} does not exist; create it first (orc create {reference.Kind} {reference.Name} ...), or mark the reference optional: true" });
            else if (reference.Key is { } key && !keysOf.Contains(key))
                errors.Add(reference.At with { Message = $"{what} has no key \"{key}\"; its keys: {(keysOf.Count == 0 ? "none" : string.Join(", ", keysOf))}{DidYouMean.Hint(key, keysOf)}" });
        }
        return errors;
    }

    private static List<string>? KeysInApply(LoadResult loaded, string kind, string ns, string name) => kind == DataKinds.Secret
        ? loaded.Secrets.FirstOrDefault(s => s.Metadata.Namespace == ns && s.Metadata.Name == name)?.Data.Keys.ToList()
        : loaded.Configs.FirstOrDefault(c => c.Metadata.Namespace == ns && c.Metadata.Name == name)?.Data.Keys.ToList();

    /// <summary>"ns|secret/db": the version an object has once this apply is written (uid.generation; a new generation per change of values).</summary>
    private static string VersionKey(string ns, string kind, string name) => $"{ns}|{DataKinds.Id(kind, name)}";

    private static string Version(ObjectMeta meta) => $"{meta.Uid}.{meta.Generation}";

    /// <summary>The spec with the current version of every object it uses (those of this apply first); objects that do not exist are left out.</summary>
    private async Task<ServiceSpec> WithDataVersionsAsync(string ns, ServiceSpec spec, IReadOnlyDictionary<string, string> applied, CancellationToken ct)
    {
        var versions = new Dictionary<string, string>();
        foreach (var (kind, name) in SpecReferences.Of(spec))
        {
            var version = applied.GetValueOrDefault(VersionKey(ns, kind, name))
                ?? ((await DataViewAsync(kind, ns, name, ct))?.Metadata is { } meta ? Version(meta) : null);
            if (version is not null) versions[DataKinds.Id(kind, name)] = version;
        }
        return spec with { DataVersions = versions.Count > 0 ? versions : null };
    }

    /// <summary>
    /// Gives every stored service that uses a secret or config whose values this apply changes (and that the apply
    /// does not itself write) a new revision naming it, in the apply's transaction, compared on its revision.
    /// </summary>
    private async Task<List<ApplyResult>> AddDataRolloutsAsync(EtcdTxn txn, IReadOnlySet<string> changed, IReadOnlyDictionary<string, string> applied,
        IReadOnlyList<ServiceObject> written, CancellationToken ct)
    {
        var results = new List<ApplyResult>();
        if (changed.Count == 0) return results;
        var namespaces = changed.Select(c => c[..c.IndexOf('|')]).Distinct();
        var skip = written.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var ns in namespaces)
            foreach (var service in await ListServicesAsync(ns, ct))
            {
                if (skip.Contains(service.Key)
                    || !SpecReferences.Of(service.Spec).Any(r => changed.Contains(VersionKey(ns, r.Kind, r.Name)))) continue;
                var spec = await WithDataVersionsAsync(ns, service.Spec, applied, ct);
                var next = service with { Spec = spec, Metadata = service.Metadata with { Generation = service.Metadata.Generation + 1 } };
                var key = keys.Service(ns, service.Metadata.Name);
                txn.Require(key, service.Metadata.ResourceVersion);
                next = await AddRevisionAsync(txn, service, next, ServiceRevision.Describe(service.Spec, spec), ct);
                txn.PutValue(key, Json.Serialize(StripRevision(next)));
                results.Add(new ApplyResult
                {
                    Kind = ObjectKinds.Service, Namespace = ns, Name = service.Metadata.Name,
                    Action = ApplyActions.Configured, Generation = next.Metadata.Generation,
                });
            }
        return results;
    }
}
