namespace Orchestrator.Contracts;

/// <summary>
/// One version of a service's spec, kept in etcd (the last 10) so that a rollout can be listed and undone.
/// A change of the replica count alone is a scale, not a revision.
/// </summary>
public sealed record ServiceRevision
{
    /// <summary>1 for the spec the service was created with, then one more per change.</summary>
    public long Revision { get; init; }
    /// <summary>The service's metadata.generation when this revision was written.</summary>
    public long Generation { get; init; }
    public ServiceSpec Spec { get; init; } = new();
    /// <summary>What changed, e.g. "image local/web:1 -> local/web:2" or "created".</summary>
    public string ChangeCause { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    public const int Kept = 10;

    /// <summary>Two specs are the same revision when they differ at most in replicas and in how they are rolled out.</summary>
    public static bool SameTemplate(ServiceSpec a, ServiceSpec b) =>
        Json.SameContent(Template(a), Template(b));

    /// <summary>The part of a spec a revision is made of.</summary>
    public static ServiceSpec Template(ServiceSpec spec) => spec with { Replicas = 0, UpdateStrategy = null };

    /// <summary>A short sentence of what differs between two specs, replicas left out.</summary>
    public static string Describe(ServiceSpec? before, ServiceSpec after)
    {
        if (before is null) return "created";
        if (before.Image != after.Image) return $"image {before.Image} -> {after.Image}";
        var changed = new List<string>();
        void Check<T>(string name, T a, T b) { if (!Json.SameContent(a, b)) changed.Add(name); }
        Check("command", before.Command, after.Command);
        Check("args", before.Args, after.Args);
        if (!Json.SameContent(before.Env, after.Env) || !Json.SameContent(before.EnvRefs, after.EnvRefs)) changed.Add("env");
        Check("resources", before.Resources, after.Resources);
        Check("ports", before.Ports, after.Ports);
        Check("restartPolicy", before.RestartPolicy, after.RestartPolicy);
        Check("livenessProbe", before.LivenessProbe, after.LivenessProbe);
        Check("readinessProbe", before.ReadinessProbe, after.ReadinessProbe);
        Check("placement", before.Placement, after.Placement);
        Check("stopGracePeriod", before.StopGracePeriod, after.StopGracePeriod);
        Check("stopSignal", before.StopSignal, after.StopSignal);
        Check("volumes", before.Volumes, after.Volumes);
        Check("volumeMounts", before.VolumeMounts, after.VolumeMounts);
        var data = DataChanged(before.DataVersions, after.DataVersions);
        if (changed.Count == 0 && data.Count > 0) return string.Join(", ", data);
        return (changed.Count == 0 ? "spec changed" : "changed " + string.Join(", ", changed)) + (data.Count > 0 ? "; " + string.Join(", ", data) : "");
    }

    /// <summary>"secret db-password changed" for each secret or config used by both whose version differs.</summary>
    public static List<string> DataChanged(IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string>? after) =>
        (after ?? new Dictionary<string, string>())
            .Where(a => before?.GetValueOrDefault(a.Key) is { } b && b != a.Value)
            .Select(a => $"{a.Key.Replace('/', ' ')} changed")
            .Order(StringComparer.Ordinal)
            .ToList();
}
