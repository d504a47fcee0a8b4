using Orchestrator.Contracts;
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
        DateTimeOffset now) =>
        assigned.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => Build(r, observed, records.GetValueOrDefault(r.Id), node, now)).ToList();

    private static ReplicaStatus Build(Replica replica, IReadOnlyCollection<ObservedContainer> observed, ReplicaRecord? record, string node, DateTimeOffset now)
    {
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
        if (container is null)
        {
            return record?.Failure is { } failure
                ? status with { State = ReplicaState.Failed, Message = failure }
                : status with { State = ReplicaState.Creating };
        }
        return status with
        {
            State = StateOf(container),
            ContainerId = container.Id,
            ExitCode = container.ExitCode,
            StartedAt = container.StartedAt,
            Message = record?.Failure,
            Ports = container.Ports.ToList(),
        };
    }

    private static ReplicaState StateOf(ObservedContainer c) => c.State switch
    {
        ContainerStates.Running or ContainerStates.Paused or ContainerStates.Restarting => ReplicaState.Running,
        ContainerStates.Created => ReplicaState.Creating,
        _ => ReplicaState.Exited,
    };
}
