namespace Orchestrator.Contracts;

/// <summary>One key a translator knows at one place, and what it does with it; docs/compat.md lists exactly these.</summary>
public sealed record CompatKey(string Table, string Key, CompatOutcome Outcome);

/// <summary>Mapped to our manifest; accepted and dropped (documented why); or always refused. Any other key is unsupported.</summary>
public enum CompatOutcome { Mapped, Ignored, Refused }

/// <summary>Every key table of the Compose and Kubernetes translators, for docs/compat.md and the test that holds it to them.</summary>
public static class CompatKeys
{
    private static readonly KeyTable[] Tables =
    [
        ComposeFile.TopLevel, ComposeService.Keys, ComposePorts.LongForm, ComposeHealthcheck.Keys,
        ComposeDeploy.Keys, ComposeDeploy.ResourceKeys, ComposeDeploy.LimitKeys, ComposeDeploy.UpdateKeys,
        ComposeDeploy.PlacementKeys, ComposeDeploy.RestartKeys, ComposeData.SecretKeys, ComposeData.ConfigKeys,
        ComposeVolumes.TopLevelKeys, ComposeVolumes.MountKeys, ComposeDataMounts.SecretKeys, ComposeDataMounts.ConfigKeys,
        KubernetesManifests.Metadata, KubernetesDeployment.TopLevel, KubernetesDeployment.SpecKeys, KubernetesDeployment.SelectorKeys,
        KubernetesDeployment.TemplateKeys, KubernetesDeployment.TemplateMetadataKeys, KubernetesDeployment.PodKeys,
        KubernetesDeployment.ContainerKeys, KubernetesDeployment.ResourceKeys, KubernetesDeployment.QuantityKeys,
        KubernetesDeployment.StrategyKeys, KubernetesDeployment.RollingUpdateKeys,
        KubernetesVolumes.VolumeKeys, KubernetesVolumes.SecretKeys, KubernetesVolumes.ConfigMapKeys, KubernetesVolumes.ItemKeys, KubernetesVolumes.EmptyDirKeys,
        KubernetesVolumes.MountKeys, KubernetesVolumes.EnvKeys, KubernetesVolumes.ValueFromKeys, KubernetesVolumes.KeyRefKeys,
        KubernetesService.Keys, KubernetesService.SpecKeys, KubernetesService.PortKeys,
        KubernetesManifests.ConfigMapKeys, KubernetesManifests.SecretKeys,
    ];

    public static IEnumerable<CompatKey> All() =>
        Tables.SelectMany(t => t.Mapped.Select(k => new CompatKey(t.Where, k, CompatOutcome.Mapped))
            .Concat(t.Ignored.Select(k => new CompatKey(t.Where, k, CompatOutcome.Ignored)))
            .Concat(t.Refused.Keys.Select(k => new CompatKey(t.Where, k, CompatOutcome.Refused))));
}
