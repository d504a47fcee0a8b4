namespace Orchestrator.Contracts;

/// <summary>Chart.yaml: what a chart is, as a release remembers it.</summary>
public sealed record ChartInfo
{
    public string Name { get; init; } = "";
    public string Version { get; init; } = "";
    public string? Description { get; init; }
    public string? AppVersion { get; init; }
}

public static class ReleaseStates
{
    /// <summary>The release's current revision: its objects are the ones stored.</summary>
    public const string Deployed = "deployed";
    /// <summary>An older revision, kept for history and rollback.</summary>
    public const string Superseded = "superseded";
}

/// <summary>
/// One revision of a release (Helm 3's release object): the chart, the values it was rendered with and the rendered
/// files themselves, so that a rollback puts back exactly what was applied without the chart at hand.
/// </summary>
public sealed record ReleaseRevision
{
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = ObjectKinds.DefaultNamespace;
    public long Revision { get; init; }
    /// <summary>One of <see cref="ReleaseStates"/>.</summary>
    public string Status { get; init; } = ReleaseStates.Deployed;
    public ChartInfo Chart { get; init; } = new();
    /// <summary>The merged values (values.yaml, -f files, --set) as YAML.</summary>
    public string Values { get; init; } = "";
    /// <summary>"install", "upgrade", "rollback to 1".</summary>
    public string Description { get; init; } = "";
    public List<ManifestFile> Files { get; init; } = new();
    /// <summary>"ns/name" of every service this revision applied.</summary>
    public List<string> Services { get; init; } = new();
    /// <summary>"ns/name" of every Secret this revision applied (names only; its values are in the sealed files).</summary>
    public List<string> Secrets { get; init; } = new();
    /// <summary>"ns/name" of every Config this revision applied.</summary>
    public List<string> Configs { get; init; } = new();
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>
    /// As etcd holds it: <see cref="Files"/> and <see cref="Values"/> sealed like a secret's values (a rendered Secret and
    /// the values it came from are in them), those two then empty. Opened only for a rollback, never answered.
    /// </summary>
    public string? SealedContent { get; init; }
}

public static class ReleaseModes
{
    public const string Install = "install";
    public const string Upgrade = "upgrade";
}

/// <summary>POST /api/v1/namespaces/{ns}/releases/{name}: install or upgrade with a chart rendered by the client.</summary>
public sealed record ReleaseRequest
{
    /// <summary>One of <see cref="ReleaseModes"/>: install refuses an existing release, upgrade a missing one.</summary>
    public string Mode { get; init; } = ReleaseModes.Install;
    public ChartInfo Chart { get; init; } = new();
    public string Values { get; init; } = "";
    public List<ManifestFile> Files { get; init; } = new();
    public bool DryRun { get; init; }
}

/// <summary>POST /api/v1/namespaces/{ns}/releases/{name}/rollback; 0 means the revision before the current one.</summary>
public sealed record ReleaseRollbackRequest
{
    public long ToRevision { get; init; }
}

/// <summary>The answer of an install, upgrade, rollback or uninstall: the revision written and what it did to each object.</summary>
public sealed record ReleaseResponse
{
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = "";
    public long Revision { get; init; }
    public List<ApplyResult> Results { get; init; } = new();
}

/// <summary>GET /api/v1/releases: the current revision of each release, without its files.</summary>
public sealed record ReleaseSummary
{
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = "";
    public long Revision { get; init; }
    public string Status { get; init; } = "";
    public ChartInfo Chart { get; init; } = new();
    public string Description { get; init; } = "";
    public int Services { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public static ReleaseSummary Of(ReleaseRevision r) => new()
    {
        Name = r.Name, Namespace = r.Namespace, Revision = r.Revision, Status = r.Status, Chart = r.Chart,
        Description = r.Description, Services = r.Services.Count, CreatedAt = r.CreatedAt,
    };
}

public static class ReleaseLabels
{
    /// <summary>The label every object of a release carries, its value the release's name.</summary>
    public const string Release = "orchestrator/release";
}
