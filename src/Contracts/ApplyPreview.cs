namespace Orchestrator.Contracts;

/// <summary>
/// What an apply would change in one service, for `orc diff` and `orc apply --dry-run`: the manifests as diff sees them
/// (the writer `orc get -o yaml` uses, so equal specs read equal) and the consequences in the rollout's words.
/// </summary>
public static class ApplyPreview
{
    public static (string? Diff, List<string> Effects) Of(ServiceObject? live, ServiceObject desired)
    {
        var name = $"service/{desired.Metadata.Name}";
        if (live is null)
            return (LineDiff.Unified("", ManifestYaml.Write(Comparable(desired)), "/dev/null", name),
                [$"create: {desired.Spec.Replicas} replica(s) will be placed"]);
        var diff = LineDiff.Unified(ManifestYaml.Write(Comparable(live)), ManifestYaml.Write(Comparable(desired)), $"{name} (live)", $"{name} (manifest)");
        var effects = new List<string>();
        // The versions of secrets and configs are the store's to set at write; a manifest never carries them.
        var (before, after) = (live.Spec, desired.Spec with { DataVersions = desired.Spec.DataVersions ?? live.Spec.DataVersions });
        if (before.Replicas != after.Replicas) effects.Add($"scale {before.Replicas} -> {after.Replicas}");
        if (ContainerSpec.From(before).Hash() != ContainerSpec.From(after).Hash())
        {
            var update = after.Update;
            var replaced = Math.Min(before.Replicas, after.Replicas);
            effects.Add($"{replaced} replica(s) will be replaced by a rolling update ({UpdateStrategy.Word(update.Order)}, maxSurge {update.MaxSurge}, maxUnavailable {update.MaxUnavailable})");
        }
        else if (diff.Length > 0 && effects.Count == 0) effects.Add("the containers do not change: no rolling update");
        return (diff.Length == 0 ? null : diff, effects);
    }

    /// <summary>The counters the store keeps (generation, resource version) are not part of what a person applies.</summary>
    private static ServiceObject Comparable(ServiceObject s) =>
        s with { Metadata = s.Metadata with { Generation = 0, ResourceVersion = 0 } };
}
