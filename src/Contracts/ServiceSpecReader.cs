using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Reads the spec of a Service. Fields that are not set get the defaults of <see cref="ServiceSpec"/>.</summary>
internal static class ServiceSpecReader
{
    /// <summary>More replicas than this is almost surely a typo, and would flood the scheduler with placements.</summary>
    public const int MaxReplicas = 10_000;

    private static readonly string[] Fields = ["image", "command", "args", "env", "replicas", "resources", "ports", "restartPolicy", "livenessProbe", "readinessProbe", "placement", "updateStrategy", "stopGracePeriod", "stopSignal", "securityContext", "hostname", "volumes", "volumeMounts"];

    // Each would hand a container the node itself; Kubernetes' names, so that a copied manifest is told why.
    private static readonly Dictionary<string, string> Refused = new()
    {
        ["privileged"] = "privileged containers are refused: they can take over the node",
        ["hostNetwork"] = "the host's network namespace is refused: publish ports with ports[].hostPort instead",
        ["hostPID"] = "the host's PID namespace is refused: a container sees only its own processes",
        ["hostIPC"] = "the host's IPC namespace is refused",
    };

    /// <summary>The spec; parts with errors keep their defaults, so the caller must look at the reader's errors.</summary>
    public static ServiceSpec? Read(YamlNode node, string path, ManifestReader r)
    {
        if (r.Fields(node, path, Fields, Refused) is not { } f) return null;
        var envRefs = new Dictionary<string, EnvSource>();
        var volumes = f["volumes"] is { } v ? VolumesReader.ReadVolumes(v, f.PathOf("volumes"), r) : [];
        var mounts = f["volumeMounts"] is { } m ? VolumesReader.ReadMounts(m, f.PathOf("volumeMounts"), volumes, r) : [];
        return new ServiceSpec
        {
            Image = r.RequiredText(f, "image", TextRule.Image) ?? "",
            Command = f["command"] is { } command ? r.TextList(command, f.PathOf("command")) : null,
            Args = f["args"] is { } args ? r.TextList(args, f.PathOf("args")) : null,
            Env = f["env"] is { } env ? EnvReader.Read(env, f.PathOf("env"), r, envRefs) : new(),
            Replicas = f["replicas"] is { } replicas ? Replicas(replicas, f.PathOf("replicas"), r) : 1,
            Resources = f["resources"] is { } resources ? ResourcesReader.Read(resources, f.PathOf("resources"), r) : new(),
            Ports = f["ports"] is { } ports ? PortsReader.Read(ports, f.PathOf("ports"), r) : new(),
            RestartPolicy = f["restartPolicy"] is { } restart ? RestartPolicyReader.Read(restart, f.PathOf("restartPolicy"), r) : null,
            LivenessProbe = f["livenessProbe"] is { } live ? ProbeReader.Read(live, f.PathOf("livenessProbe"), readiness: false, r) : null,
            ReadinessProbe = f["readinessProbe"] is { } ready ? ProbeReader.Read(ready, f.PathOf("readinessProbe"), readiness: true, r) : null,
            Placement = f["placement"] is { } placement ? PlacementReader.Read(placement, f.PathOf("placement"), r) : null,
            UpdateStrategy = f["updateStrategy"] is { } update ? UpdateStrategyReader.Read(update, f.PathOf("updateStrategy"), r) : null,
            StopGracePeriod = f["stopGracePeriod"] is { } grace ? r.Duration(grace, f.PathOf("stopGracePeriod"), allowZero: true) : null,
            StopSignal = f["stopSignal"] is { } signal ? r.Word(signal, f.PathOf("stopSignal"), StopSignals) : null,
            SecurityContext = f["securityContext"] is { } security ? SecurityContextReader.Read(security, f.PathOf("securityContext"), r) : null,
            Hostname = f["hostname"] is { } hostname ? r.Text(hostname, f.PathOf("hostname"), TextRule.Dns1123Label) : null,
            // Null when not written, so that the spec (and its hash) of a service without them stays as it was.
            EnvRefs = envRefs.Count > 0 ? envRefs : null,
            Volumes = volumes.Count > 0 ? volumes : null,
            VolumeMounts = mounts.Count > 0 ? mounts : null,
        };
    }

    /// <summary>The signals a process is asked to stop with; SIGKILL is what the grace period ends in anyway.</summary>
    public static readonly string[] StopSignals = ["SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH"];

    private static int Replicas(YamlNode node, string path, ManifestReader r)
    {
        if (r.WholeNumber(node, path, 0, long.MaxValue) is not { } replicas) return 1;
        if (replicas <= MaxReplicas) return (int)replicas;
        r.Error(node, path, $"must be at most {MaxReplicas}, got {replicas}");
        return 1;
    }
}
