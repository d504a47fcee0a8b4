using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

/// <summary>How restart policies, probes and readiness read in `get` and `describe`, in kubectl's words where it has them.</summary>
public static class HealthCells
{
    /// <summary>"CrashLoopBackOff (next retry in 4s)": the wait left is what a person watching a crash loop wants to know.</summary>
    public static string State(ReplicaView view, DateTimeOffset now)
    {
        // "ImageNotFound (next retry in 8s)": a create or start that failed says why rather than a bare Failed.
        if (view.Status is { Reason: { } reason } failed)
            return failed.NextRestartAt is { } retry && retry > now ? $"{reason} (next retry in {Age.Since(now, retry)})" : reason;
        if (view.Status is not { State: ReplicaState.CrashLoopBackOff, NextRestartAt: { } next }) return Cells.State(view);
        // Age counts from "then" to "now"; from now to the retry it gives the wait left, in the same units.
        return next > now ? $"CrashLoopBackOff (next retry in {Age.Since(now, next)})" : "CrashLoopBackOff (retry due)";
    }

    public static string Ready(ReplicaStatus? status) => status?.Ready == true ? "yes" : "no";

    /// <summary>"on-failure maxAttempts=3 delay=1s maxDelay=30s".</summary>
    public static string RestartPolicy(RestartPolicy policy) =>
        $"{Contracts.RestartPolicy.Word(policy.Condition)}{(policy.MaxAttempts > 0 ? $" maxAttempts={policy.MaxAttempts}" : "")} delay={policy.Delay} maxDelay={policy.MaxDelay}";

    /// <summary>kubectl's form: "http-get :8080/ delay=0s timeout=1s period=10s #success=1 #failure=3".</summary>
    public static string Probe(Probe probe) =>
        $"{probe.Describe()} delay={probe.InitialDelaySeconds}s timeout={probe.TimeoutSeconds}s period={probe.PeriodSeconds}s " +
        $"#success={probe.SuccessThreshold} #failure={probe.FailureThreshold}";
}
