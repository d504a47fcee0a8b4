namespace Orchestrator.Contracts;

/// <summary>The restart policy, probes, update strategy and stop settings in manifest form, always the long form so that every setting shows.</summary>
public static partial class ManifestYaml
{
    private static void Health(YamlWriter yaml, ServiceSpec spec)
    {
        if (spec.RestartPolicy is { } policy)
            yaml.Mapping("restartPolicy", () =>
            {
                yaml.Field("condition", RestartPolicy.Word(policy.Condition));
                if (policy.MaxAttempts != 0) yaml.Field("maxAttempts", policy.MaxAttempts);
                yaml.Field("delay", policy.Delay);
                yaml.Field("maxDelay", policy.MaxDelay);
            });
        if (spec.LivenessProbe is { } liveness) yaml.Mapping("livenessProbe", () => Probe(yaml, liveness));
        if (spec.ReadinessProbe is { } readiness) yaml.Mapping("readinessProbe", () => Probe(yaml, readiness));
    }

    private static void Update(YamlWriter yaml, ServiceSpec spec)
    {
        if (spec.UpdateStrategy is { } update)
            yaml.Mapping("updateStrategy", () =>
            {
                yaml.Field("maxSurge", update.MaxSurge);
                yaml.Field("maxUnavailable", update.MaxUnavailable);
                yaml.Field("order", UpdateStrategy.Word(update.Order));
                yaml.Field("minReadySeconds", update.MinReadySeconds);
                yaml.Field("progressDeadline", update.ProgressDeadline);
                yaml.Field("onFailure", UpdateStrategy.Word(update.OnFailure));
            });
        if (spec.StopGracePeriod is { } grace) yaml.Field("stopGracePeriod", grace);
        if (spec.StopSignal is { } signal) yaml.Field("stopSignal", signal);
    }

    private static void Probe(YamlWriter yaml, Probe probe)
    {
        if (probe.Exec is { } exec) yaml.Mapping("exec", () => yaml.List("command", exec.Command));
        if (probe.HttpGet is { } http)
            yaml.Mapping("httpGet", () =>
            {
                yaml.Field("path", http.Path);
                yaml.Field("port", http.Port);
            });
        if (probe.TcpSocket is { } tcp) yaml.Mapping("tcpSocket", () => yaml.Field("port", tcp.Port));
        yaml.Field("initialDelaySeconds", probe.InitialDelaySeconds);
        yaml.Field("periodSeconds", probe.PeriodSeconds);
        yaml.Field("timeoutSeconds", probe.TimeoutSeconds);
        yaml.Field("failureThreshold", probe.FailureThreshold);
        yaml.Field("successThreshold", probe.SuccessThreshold);
    }
}
