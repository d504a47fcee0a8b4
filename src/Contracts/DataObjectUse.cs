namespace Orchestrator.Contracts;

/// <summary>
/// Which services use a Secret or Config, and how: deleting one that a service still names would leave that service's
/// next replica unable to start (or, for an optional reference, silently without its value), so a deletion is refused
/// naming each user, e.g. "secret app-db is used by service default/web (env DB_PASSWORD)". Kubernetes allows the
/// deletion and lets the pods fail later; here the services go first (a release uninstall deletes them in the same
/// transaction, so it is never refused by its own services).
/// </summary>
public static class DataObjectUse
{
    /// <summary>"service NS/NAME (env X, volume Y)" for every service of the object's namespace that names it, by name.</summary>
    public static List<string> Users(string kind, string ns, string name, IEnumerable<ServiceObject> services) =>
        services.Where(s => s.Metadata.Namespace == ns)
            .OrderBy(s => s.Metadata.Name, StringComparer.Ordinal)
            .Select(s => (s.Metadata.Name, Uses: Uses(kind, name, s.Spec)))
            .Where(s => s.Uses.Count > 0)
            .Select(s => $"service {ns}/{s.Name} ({string.Join(", ", s.Uses)})")
            .ToList();

    /// <summary>Why the object may not be deleted while <paramref name="services"/> exist; null when none uses it.</summary>
    public static string? Refusal(string kind, string ns, string name, IEnumerable<ServiceObject> services) =>
        Users(kind, ns, name, services) is [_, ..] users
            ? $"{kind} {name} is used by {string.Join("; ", users)}; delete those services or remove the references first"
            : null;

    private static List<string> Uses(string kind, string name, ServiceSpec spec) =>
        (spec.EnvRefs ?? []).Where(e => e.Value.Kind == kind && e.Value.Ref.Name == name)
            .Select(e => $"env {e.Key}").Order(StringComparer.Ordinal)
            .Concat((spec.Volumes ?? []).Where(v => v.Data == (kind, name)).Select(v => $"volume {v.Name}"))
            .ToList();
}
