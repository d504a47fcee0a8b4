using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Reconcile;

/// <summary>What one look at a rollout concluded: its status now, and the failure to act on, if one happened just now.</summary>
public sealed record RolloutDecision(RolloutStatus Status, string? Failure);

/// <summary>
/// Follows a service's rollout as a pure function of the service, its replicas and their statuses: a new revision
/// starts a rollout, available replicas of it are progress, and the first replica of it that fails (exits, crash
/// loops, restarts, fails its readiness probe failureThreshold times) or a progress deadline without progress fails it.
/// A missing image is no failure of its own (<see cref="FailureOf"/>).
/// </summary>
public static class RolloutTracker
{
    public static RolloutDecision Observe(ServiceObject service, RolloutStatus? previous, IReadOnlyList<Replica> replicas,
        IReadOnlyDictionary<string, ReplicaStatus> statuses, DateTimeOffset now)
    {
        var spec = service.Spec;
        var desired = spec.Replicas;
        var hash = ContainerSpec.From(spec).Hash();
        var minReady = TimeSpan.FromSeconds(spec.Update.MinReadySeconds);
        var current = replicas.Where(r => !r.Terminating && r.SpecHash == hash && r.Slot >= 1 && r.Slot <= desired).ToList();
        var updated = current.Select(r => r.Slot).Distinct().Count();
        var available = current.Where(r => IsAvailable(statuses.GetValueOrDefault(r.Id), minReady, now)).Select(r => r.Slot).Distinct().Count();
        var old = replicas.Count(r => r.Terminating || r.SpecHash != hash);

        var status = previous is not null && previous.Revision == service.Metadata.Revision
            ? previous
            : new RolloutStatus
            {
                Revision = service.Metadata.Revision,
                FromRevision = previous?.Revision ?? 0,
                Phase = RolloutPhase.Progressing,
                Paused = previous?.Paused ?? false,
                StartedAt = now,
                LastProgressAt = now,
            };
        var progressed = previous is null || previous.Revision != status.Revision
            || available > status.Available || old < status.Old || updated > status.Updated;
        status = status with
        {
            Desired = desired,
            Updated = updated,
            Available = available,
            Old = old,
            LastProgressAt = progressed ? now : status.LastProgressAt,
        };

        var done = updated == desired && available == desired && old == 0 && replicas.Count == desired;
        if (done)
        {
            if (status.Settled) return new RolloutDecision(status, null);
            var rolledBack = status.Phase == RolloutPhase.RollingBack;
            return new RolloutDecision(status with
            {
                Phase = rolledBack ? RolloutPhase.RolledBack : RolloutPhase.Complete,
                FinishedAt = now,
                Message = rolledBack
                    ? $"rolled back to the spec of revision {status.FromRevision} after revision {status.FailedRevision} failed"
                    : $"{desired} of {desired} replicas of revision {status.Revision} available",
            }, null);
        }

        if (status.Phase is RolloutPhase.Complete or RolloutPhase.RolledBack)
            // Something went missing after the rollout finished (a crash, a lost node): healing, not a new rollout.
            return new RolloutDecision(status, null);
        if (status.Phase == RolloutPhase.Failed) return new RolloutDecision(status, null);
        if (status.Paused)
            return new RolloutDecision(status with { Phase = RolloutPhase.Paused, Message = Progress(status) + "; paused" }, null);

        var phase = status.Phase == RolloutPhase.Paused ? RolloutPhase.Progressing : status.Phase;
        var failure = current.Select(r => FailureOf(r, statuses.GetValueOrDefault(r.Id))).FirstOrDefault(f => f is not null);
        var deadline = spec.Update.ProgressDeadlineTime;
        // A first rollout has nothing to roll back to or to hold: failing it while its replicas wait for their image would
        // only leave it Failed once they run. An update still fails after the deadline (and rolls back, when asked to).
        var waitingForImage = status.FromRevision == 0
            && current.Any(r => statuses.GetValueOrDefault(r.Id)?.Reason == ReplicaReasons.ImageNotFound);
        if (failure is null && !waitingForImage && now - status.LastProgressAt > deadline)
            failure = $"no progress for {spec.Update.ProgressDeadline} (progressDeadline): {Progress(status)}";
        return new RolloutDecision(status with { Phase = phase, Message = Progress(status) }, failure);
    }

    public static bool IsAvailable(ReplicaStatus? s, TimeSpan minReady, DateTimeOffset now) => AvailableAt(s, minReady) <= now;

    /// <summary>
    /// When a replica counts as available: ready for minReadySeconds (MinValue when ready since an unknown time);
    /// null while it is not running and ready.
    /// </summary>
    public static DateTimeOffset? AvailableAt(ReplicaStatus? s, TimeSpan minReady)
    {
        if (s is not { State: ReplicaState.Running, Ready: true }) return null;
        var since = s.ReadySince ?? s.StartedAt ?? DateTimeOffset.MinValue;
        return since == DateTimeOffset.MinValue ? since : since + minReady;
    }

    public static string Progress(RolloutStatus s) =>
        $"{s.Available} of {s.Desired} replicas of revision {s.Revision} available, {s.Updated} updated, {s.Old} old";

    /// <summary>Why a replica of the revision being rolled out counts as failed, or null while it may still come good.</summary>
    /// <remarks>
    /// A replica waiting for its image (<see cref="ReplicaReasons.ImageNotFound"/>) has not failed: the agent retries it, and
    /// once the image is built or pulled it starts without anyone resuming anything. Only the progress deadline judges it.
    /// </remarks>
    public static string? FailureOf(Replica r, ReplicaStatus? s)
    {
        if (s is null || s.Reason == ReplicaReasons.ImageNotFound) return null;
        var who = $"replica {r.ContainerName} on {r.Node}";
        var detail = s.Message is { Length: > 0 } m ? $": {m}" : "";
        if (s.State is ReplicaState.Failed or ReplicaState.CrashLoopBackOff)
            return $"{who} is {Word(s.State)}{detail}";
        if (s.State == ReplicaState.Exited && s.ExitCode is { } code and not 0)
            return $"{who} exited with code {code}{detail}";
        if (s.RestartCount > 0)
            return $"{who} restarted {s.RestartCount} time{(s.RestartCount == 1 ? "" : "s")}{detail}";
        if (s is { State: ReplicaState.Running, Ready: false } && r.Container.ReadinessProbe is { } probe
            && s.ReadinessFailures >= probe.FailureThreshold)
            return $"{who} failed its readiness probe ({probe.Describe()}) {s.ReadinessFailures} times in a row" +
                   (s.LastProbe is { } last ? $", last: {last}" : "");
        return null;
    }

    private static string Word(ReplicaState state) => state == ReplicaState.CrashLoopBackOff ? "in CrashLoopBackOff" : state.ToString().ToLowerInvariant();
}
