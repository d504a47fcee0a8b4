namespace Orchestrator.Contracts;

/// <summary>spec.securityContext and spec.hostname in manifest form; only what is set is written.</summary>
public static partial class ManifestYaml
{
    private static void Security(YamlWriter yaml, ServiceSpec spec)
    {
        if (spec.SecurityContext is { } security)
            yaml.Mapping("securityContext", () =>
            {
                if (security.RunAsUser is { } user) yaml.Field("runAsUser", user);
                if (security.RunAsGroup is { } group) yaml.Field("runAsGroup", group);
                if (security.RunAsNonRoot is { } nonRoot) yaml.Field("runAsNonRoot", nonRoot);
                if (security.ReadOnlyRootFilesystem is { } readOnly) yaml.Field("readOnlyRootFilesystem", readOnly);
                if (security.AllowPrivilegeEscalation is { } escalation) yaml.Field("allowPrivilegeEscalation", escalation);
                if (security.Capabilities is { } caps)
                    yaml.Mapping("capabilities", () =>
                    {
                        yaml.List("add", caps.Add);
                        yaml.List("drop", caps.Drop);
                    });
            });
        if (spec.Hostname is { } hostname) yaml.Field("hostname", hostname);
    }
}
