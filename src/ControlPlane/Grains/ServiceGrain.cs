using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Reconcile;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ServiceDefaults;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// One service's reconciler: plans with <see cref="ServiceReconciler"/> (slots, rolling updates, drains), follows the
/// rollout with <see cref="RolloutTracker"/>, and acts on a failed rollout (pause, or roll back to the revision it
/// started from).
/// </summary>
public sealed class ServiceGrain(ClusterStore store, EventRecorder events, ControlPlaneLifecycle lifecycle, ControlPlaneOptions options,
    TimeProvider time, ILogger<ServiceGrain> log)
    : Grain, IServiceGrain
{
    /// <summary>
    /// News of replicas arrives in bursts (one status report per node); this much later one reconcile covers them. At
    /// 1,000 nodes reporting on 30 services, 50 ms meant 600 reconciles a second of 1,000 replicas each; 200 ms is a
    /// quarter of that, and a rollout step waits at most that much longer.
    /// </summary>
    private static readonly TimeSpan NudgeDelay = TimeSpan.FromMilliseconds(200);

    private string Ns => this.GetPrimaryKeyString().Split('/')[0];
    private string Name => this.GetPrimaryKeyString().Split('/')[1];
    private IGrainTimer? _timer;
    private DateTimeOffset? _timerDue;

    public async Task<ReconcileSummary> Reconcile(string? traceParent)
    {
        // The caller's trace crosses the grain call as an argument: Orleans does not carry the ambient one.
        using var activity = Telemetry.Source.StartContinued("ServiceGrain.Reconcile", traceParent);
        activity?.SetTag("orchestrator.service", this.GetPrimaryKeyString());
        var clock = time.GetTimestamp();
        try
        {
            // A rollback changes the spec; the second round acts on it at once.
            for (var round = 0; ; round++)
            {
                var (summary, again) = await ReconcileOnceAsync(activity?.Id ?? traceParent);
                if (!again || round > 0) return summary;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await MarkStuckAsync(e);
            throw;
        }
        finally
        {
            Telemetry.ReconcileDuration.Record(time.GetElapsedTime(clock).TotalSeconds);
        }
    }

    public Task Nudge()
    {
        Schedule(time.GetUtcNow() + NudgeDelay);
        return Task.CompletedTask;
    }

    /// <summary>One timer at a time, for the earliest moment anyone asked for.</summary>
    private void Schedule(DateTimeOffset due)
    {
        if (_timerDue is { } pending && pending <= due) return;
        _timer?.Dispose();
        _timerDue = due;
        var delay = due - time.GetUtcNow();
        _timer = this.RegisterGrainTimer(async _ =>
        {
            _timerDue = null;
            await Reconcile(null);
        }, new GrainTimerCreationOptions(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan) { Interleave = false });
    }

    private async Task<(ReconcileSummary Summary, bool Again)> ReconcileOnceAsync(string? traceParent)
    {
        // A stopping control plane decides nothing: its grains move to the other silos, which decide from there.
        if (lifecycle.Stopping) return (new ReconcileSummary(0, 0, 0, null), false);
        // Decide on everything etcd holds now, whichever control plane wrote it (one O(1) request; the rest is memory).
        await store.SyncAsync();
        var now = time.GetUtcNow();
        var service = await store.GetServiceAsync(Ns, Name);
        var replicas = await store.ReplicasToReconcileAsync(Ns, Name);
        var nodes = await store.ListNodesAsync();
        var statuses = (await store.ListReplicaStatusesAsync(Ns, Name)).ToDictionary(s => s.ReplicaId);

        RolloutDecision? decision = null;
        var previous = service is null ? null : await store.GetRolloutAsync(Ns, Name);
        if (service is not null)
        {
            decision = RolloutTracker.Observe(service, previous, replicas, statuses, now);
            if (decision.Failure is { } failure)
            {
                if (await FailAsync(service, decision.Status, failure, now) is not { } held) return (new ReconcileSummary(0, 0, 0, null), true);
                // Stored by FailAsync already: the save at the end of the pass has nothing new to write.
                (decision, previous) = (decision with { Status = held }, held);
            }
        }

        var hold = decision?.Status is { } st && (st.Paused || st.Phase == RolloutPhase.Failed);
        var plan = ServiceReconciler.Plan(service, replicas, nodes.ToDictionary(n => n.Name, NodeView.Of), statuses, new RolloutInput(now, hold));

        var removed = 0;
        if (plan.Remove.Count > 0)
        {
            // A replica that changed meanwhile makes the whole removal lose; the next reconcile sees the new state.
            if (await store.RemoveReplicasAsync(plan.Remove.Select(r => r.Replica).ToList()) is not { } removal)
                return (new ReconcileSummary(0, 0, 0, null), false);
            var done = plan.Remove.Take(removal.Count).ToList();
            removed = done.Count;
            // A Down node that comes back must have applied these deletions before it counts again.
            foreach (var node in done.Where(r => r.Reason == ServiceReconciler.ReasonNodeDown).Select(r => r.Replica.Node).Distinct())
                await store.UpdateNodeAsync(node, n => n! with { FenceRevision = Math.Max(n.FenceRevision, removal.Revision) });
            await RecordAsync("Removed", "removed", done.Where(r => r.Reason != ServiceReconciler.ReasonStopped));
            if (done.Count < plan.Remove.Count) return (new ReconcileSummary(removed, 0, 0, null), true);
        }
        if (plan.Terminate.Count > 0)
        {
            var terminated = await store.TerminateReplicasAsync(plan.Terminate.Select(t => (t.Replica, t.Reason)).ToList());
            if (terminated > 0) await RecordAsync("Stopping", "stopping", plan.Terminate.Take(terminated));
            if (terminated < plan.Terminate.Count) return (new ReconcileSummary(removed + terminated, 0, 0, null), false);
        }

        if (service is null)
        {
            DeactivateOnIdle();
            return (new ReconcileSummary(removed, 0, 0, null), false);
        }

        // The virtual IP and the placement do not wait for each other: a new service's replicas are placed while its
        // address is claimed (one etcd commit less before them; the network view takes the address when it is there).
        var claiming = TakeVirtualIpAsync();
        var placing = plan.Place.Count == 0
            ? Task.FromResult(new PlacementSummary(0, 0, null, []))
            : GrainFactory.GetGrain<IPlacementGrain>(0).Place(Ns, Name, plan.Place.ToArray(), traceParent);
        await Task.WhenAll(claiming, placing);
        var placement = await placing;
        await RecordConditionsAsync(service, placement);
        if (decision is not null) await SaveRolloutAsync(previous, decision.Status);
        if (plan.RetryAt is { } retry) Schedule(retry);
        // What this pass removed or stopped changes what the rollout sees (a removed replica may complete it): look again.
        if (plan.Remove.Count > 0 || plan.Terminate.Count > 0) Schedule(time.GetUtcNow() + NudgeDelay);
        return (new ReconcileSummary(removed + plan.Terminate.Count, placement.Placed, placement.Unplaced, placement.Explanation), false);
    }

    /// <summary>A service without a virtual IP gets one (held from then on; reading it is memory only).</summary>
    private async Task TakeVirtualIpAsync()
    {
        if (_virtualIp is not null) return;
        _virtualIp = await store.AllocateServiceIpAsync(Ns, Name, Ipv4Subnet.Parse(options.ServiceCidr));
        if (_virtualIp is null)
            await events.ServiceEventAsync(Ns, Name, "NoVirtualIp", $"service {Ns}/{Name} got no virtual IP: every address of {options.ServiceCidr} is held", warning: true);
    }

    private string? _virtualIp;

    private Task RecordAsync(string reason, string verb, IEnumerable<ReplicaRemoval> removals) =>
        Task.WhenAll(removals.GroupBy(r => r.Reason).Select(group =>
        {
            var names = EventText.Names(group.Select(r => $"{r.Replica.ContainerName} on {r.Replica.Node}").ToList());
            return events.ServiceEventAsync(Ns, Name, reason, $"{verb} {group.Count()} replica(s) ({group.Key}): {names}");
        }));

    /// <summary>
    /// Acts on a failed rollout as its onFailure says. Null when it rolled back (the spec changed: plan again);
    /// otherwise the rollout as it is now held, Failed, and stored.
    /// </summary>
    private async Task<RolloutStatus?> FailAsync(ServiceObject service, RolloutStatus status, string failure, DateTimeOffset now)
    {
        var revision = status.Revision;
        await events.ServiceEventAsync(Ns, Name, "RolloutFailed", $"rollout of revision {revision} failed: {failure}", warning: true);
        var rollback = service.Spec.Update.OnFailure == FailureAction.Rollback && status.Phase == RolloutPhase.Progressing && status.FromRevision > 0;
        if (rollback)
        {
            var cause = $"rollback to revision {status.FromRevision}: revision {revision} failed";
            if (await store.RollBackAsync(Ns, Name, status.FromRevision, cause) is { } rolledBack)
            {
                await store.SaveRolloutAsync(Ns, Name, new RolloutStatus
                {
                    Revision = rolledBack.Metadata.Revision,
                    FromRevision = status.FromRevision,
                    Phase = RolloutPhase.RollingBack,
                    Paused = status.Paused,
                    Desired = status.Desired,
                    FailedRevision = revision,
                    FailureReason = failure,
                    Message = $"revision {revision} failed; rolling back to the spec of revision {status.FromRevision}",
                    StartedAt = now,
                    LastProgressAt = now,
                });
                await events.ServiceEventAsync(Ns, Name, "RollingBack",
                    $"rolling back to the spec of revision {status.FromRevision} as revision {rolledBack.Metadata.Revision}");
                return null;
            }
        }
        var why = rollback ? "; the revision to roll back to is gone" : "";
        var held = status with
        {
            Phase = RolloutPhase.Failed,
            FailedRevision = revision,
            FailureReason = failure,
            FinishedAt = now,
            Message = $"rollout of revision {revision} failed and is paused{why}: `orc rollout resume` to retry or `orc rollout undo` to go back",
        };
        await store.SaveRolloutAsync(Ns, Name, held);
        return held;
    }

    /// <summary>Stores the rollout when it changed and tells the phase changes as events.</summary>
    private async Task SaveRolloutAsync(RolloutStatus? previous, RolloutStatus next)
    {
        if (previous is not null && Json.SameContent(previous, next)) return;
        await store.SaveRolloutAsync(Ns, Name, next);
        if (previous?.Revision == next.Revision && previous.Phase == next.Phase) return;
        switch (next.Phase)
        {
            case RolloutPhase.Progressing when previous?.Revision != next.Revision && next.FromRevision > 0:
                await events.ServiceEventAsync(Ns, Name, "RolloutStarted", $"rolling out revision {next.Revision} (from revision {next.FromRevision})");
                break;
            case RolloutPhase.Complete when next.FromRevision > 0:
                await events.ServiceEventAsync(Ns, Name, "RolloutComplete", $"revision {next.Revision} rolled out: {next.Message}");
                break;
            case RolloutPhase.RolledBack:
                await events.ServiceEventAsync(Ns, Name, "RolledBack", next.Message ?? "rolled back", warning: true);
                break;
        }
    }

    public async Task<RolloutStatus?> SetPaused(bool paused)
    {
        var service = await store.GetServiceAsync(Ns, Name);
        if (service is null) return null;
        var now = time.GetUtcNow();
        var current = await store.GetRolloutAsync(Ns, Name) ?? RolloutTracker.Observe(service, null, [], new Dictionary<string, ReplicaStatus>(), now).Status;
        var next = current with { Paused = paused };
        if (!paused && current.Phase is RolloutPhase.Paused or RolloutPhase.Failed)
            next = next with { Phase = RolloutPhase.Progressing, FailureReason = null, FinishedAt = null, LastProgressAt = now };
        if (next != current)
        {
            await store.SaveRolloutAsync(Ns, Name, next);
            await events.ServiceEventAsync(Ns, Name, paused ? "RolloutPaused" : "RolloutResumed",
                paused ? "rollout paused: no replica is replaced until it is resumed" : "rollout resumed");
        }
        await Reconcile(null);
        return await store.GetRolloutAsync(Ns, Name);
    }

    public async Task<UndoOutcome> Undo(long? toRevision)
    {
        var service = await store.GetServiceAsync(Ns, Name);
        if (service is null) return new UndoOutcome(0, 0, $"service \"{Ns}/{Name}\" not found", NotFound: true);
        var history = await store.ListRevisionsAsync(Ns, Name);
        var current = service.Metadata.Revision;
        var target = toRevision is { } wanted
            ? history.FirstOrDefault(r => r.Revision == wanted)
            : history.Where(r => r.Revision < current && !ServiceRevision.SameTemplate(r.Spec, service.Spec)).MaxBy(r => r.Revision);
        if (target is null)
        {
            var known = string.Join(", ", history.Select(r => r.Revision));
            return new UndoOutcome(0, toRevision ?? 0, toRevision is { } n
                ? $"revision {n} of service \"{Ns}/{Name}\" not found; kept revisions: {known}"
                : $"service \"{Ns}/{Name}\" has no earlier revision to go back to (kept revisions: {known})");
        }
        if (ServiceRevision.SameTemplate(target.Spec, service.Spec))
            return new UndoOutcome(current, target.Revision, null);
        var rolledBack = await store.RollBackAsync(Ns, Name, target.Revision, $"rollback to revision {target.Revision}");
        if (rolledBack is null) return new UndoOutcome(0, target.Revision, $"service \"{Ns}/{Name}\" or its revision {target.Revision} is gone");
        await events.ServiceEventAsync(Ns, Name, "RollbackRequested",
            $"undo: the spec of revision {target.Revision} is back as revision {rolledBack.Metadata.Revision}");
        await Reconcile(null);
        return new UndoOutcome(rolledBack.Metadata.Revision, target.Revision, null);
    }

    /// <summary>
    /// Keeps why this service cannot be reconciled where `orc describe` shows it, and says so once as an event; the
    /// next reconcile that succeeds clears it. The caller still gets the failure.
    /// </summary>
    private async Task MarkStuckAsync(Exception failure)
    {
        var reason = $"reconcile failed: {failure.Message}";
        log.LogWarning(failure, "service {Service} is stuck: {Reason}", this.GetPrimaryKeyString(), reason);
        try
        {
            var previous = await store.GetConditionsAsync(Ns, Name);
            if (previous?.StuckReason == reason) return;
            await store.SaveConditionsAsync(Ns, Name, (previous ?? new ServiceConditions()) with { StuckReason = reason });
            await events.ServiceEventAsync(Ns, Name, "ReconcileFailed", reason, warning: true);
        }
        catch (Exception e)
        {
            // etcd itself may be what failed; the log line above is then all there is.
            log.LogWarning("could not record that service {Service} is stuck: {Message}", this.GetPrimaryKeyString(), e.Message);
        }
    }

    /// <summary>Stores the pending reason when it changes, and says so once as an event rather than on every retry.</summary>
    private async Task RecordConditionsAsync(ServiceObject service, PlacementSummary placement)
    {
        var previous = await store.GetConditionsAsync(Ns, Name);
        var next = new ServiceConditions
        {
            ObservedGeneration = service.Metadata.Generation,
            PendingCount = placement.Unplaced,
            PendingReason = placement.Unplaced > 0 ? placement.Explanation : null,
        };
        if (previous == next) return;
        await store.SaveConditionsAsync(Ns, Name, next);
        if (next.PendingReason is not null && next.PendingReason != previous?.PendingReason)
            await events.ServiceEventAsync(Ns, Name, "FailedScheduling", $"{next.PendingCount} replica(s) pending: {next.PendingReason}", warning: true);
    }
}
