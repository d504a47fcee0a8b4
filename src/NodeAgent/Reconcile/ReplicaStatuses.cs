using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Health;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>Joins assignments, engine observations and the agent's own records into the status it reports.</summary>
public static class ReplicaStatuses
{
    public static List<ReplicaStatus> Build(
        IReadOnlyCollection<Replica> assigned,
        IReadOnlyCollection<ObservedContainer> observed,
        IReadOnlyDictionary<string, ReplicaRecord> records,
        string node,
        DateTimeOffset now,
        IReadOnlyDictionary<string, ReplicaHealth>? health = null) =>
        assigned.OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => Build(r, observed, records.GetValueOrDefault(r.Id), health?.GetValueOrDefault(r.Id), node, now)).ToList();

    private static ReplicaStatus Build(Replica replica, IReadOnlyCollection<ObservedContainer> observed, ReplicaRecord? record,
        ReplicaHealth? health, string node, DateTimeOffset now)
    {
        if (replica.Terminating) return Terminating(replica, observed, node, now);
        // Only a container of the assigned spec speaks for the replica; an old one is about to be replaced.
        var container = AgentReconciler.Keeper(observed.Where(c => c.ReplicaId == replica.Id && c.SpecHash == replica.SpecHash));
        var status = new ReplicaStatus
        {
            ReplicaId = replica.Id,
            Namespace = replica.Namespace,
            Service = replica.Service,
            Node = node,
            RestartCount = record?.RestartCount ?? 0,
            ObservedAt = now,
        };
        // A create or start that failed, retried with back-off: the reason is what a person needs, whatever is left in the engine.
        if (record is { FailureReason: { } reason, Failure: { } failure } && container is not { IsRunning: true })
            return status with
            {
                State = ReplicaState.Failed,
                Reason = reason,
                Message = failure,
                NextRestartAt = record.NextRestartAt,
                ContainerId = container?.Id,
            };
        if (container is null)
        {
            return record?.Failure is { } other
                ? status with { State = ReplicaState.Failed, Message = other }
                : status with { State = ReplicaState.Creating };
        }
        status = status with
        {
            State = StateOf(container),
            ContainerId = container.Id,
            ExitCode = container.ExitCode,
            StartedAt = container.StartedAt,
            Message = record?.Failure ?? record?.StopReason,
            Ports = container.Ports.ToList(),
            LastProbe = health?.LastProbe,
            Ip = container.Address is "127.0.0.1" ? null : container.Address,
        };
        if (status.State == ReplicaState.Running)
        {
            var probed = replica.Container.ReadinessProbe is not null;
            var ready = !probed || health?.Ready == true;
            return status with
            {
                Ready = ready,
                ReadySince = !ready ? null : probed ? health?.ReadySince : container.StartedAt,
                ReadinessFailures = health?.ReadinessFailures ?? 0,
            };
        }
        return container.State == ContainerStates.Exited ? AfterExit(status, replica, record, now) : status;
    }

    /// <summary>A replica being replaced: out of service (never ready) while its container stops, Removed once it is gone.</summary>
    private static ReplicaStatus Terminating(Replica replica, IReadOnlyCollection<ObservedContainer> observed, string node, DateTimeOffset now)
    {
        var container = AgentReconciler.Keeper(observed.Where(c => c.ReplicaId == replica.Id));
        return new ReplicaStatus
        {
            ReplicaId = replica.Id,
            Namespace = replica.Namespace,
            Service = replica.Service,
            Node = node,
            ObservedAt = now,
            State = container is null ? ReplicaState.Removed : ReplicaState.Terminating,
            ContainerId = container?.Id,
            StartedAt = container?.StartedAt,
            Message = container is null ? "stopped and removed" : $"stopping ({replica.TerminationReason ?? "replaced"}): {replica.Container.StopSignal ?? "the image's stop signal"}, then SIGKILL after {replica.Container.StopGracePeriod ?? ContainerSpec.DefaultStopGracePeriod}",
        };
    }

    /// <summary>
    /// An exited container as its restart policy sees it: waiting for its back-off (CrashLoopBackOff), given up
    /// (Failed), or left stopped (Exited). A restart that is due now shows as Exited for the moment it takes.
    /// </summary>
    private static ReplicaStatus AfterExit(ReplicaStatus status, Replica replica, ReplicaRecord? record, DateTimeOffset now)
    {
        var exitCode = status.ExitCode ?? 0;
        var restarts = record?.RestartCount ?? 0;
        var exited = record?.StopReason is { } reason ? $"{reason}; exited with code {exitCode}" : $"exited with code {exitCode}";
        return RestartDecision.Decide(replica.Container.RestartPolicy, exitCode, restarts) switch
        {
            RestartVerdict.GiveUp => status with
            {
                State = ReplicaState.Failed,
                Message = record?.StopReason is { } r ? $"{r}; {RestartDecision.GaveUp(exitCode, restarts)}" : RestartDecision.GaveUp(exitCode, restarts),
            },
            RestartVerdict.Restart when record?.NextRestartAt is { } next && next > now => status with
            {
                State = ReplicaState.CrashLoopBackOff,
                NextRestartAt = next,
                Message = $"{exited}; back-off before restart {restarts + 1}",
            },
            RestartVerdict.LeaveStopped => status with { Message = record?.StopReason is null ? null : exited },
            _ => status,
        };
    }

    private static ReplicaState StateOf(ObservedContainer c) => c.State switch
    {
        ContainerStates.Running or ContainerStates.Paused or ContainerStates.Restarting => ReplicaState.Running,
        ContainerStates.Created => ReplicaState.Creating,
        _ => ReplicaState.Exited,
    };
}
