using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>
/// The agent's reconcile as a pure function: what is assigned and what the engine shows in, actions out.
/// Removals come first because a replaced container keeps its name (service.slot.id), which must be free
/// before the new one is created. Graceful stops (a replica no longer assigned, or terminating) come as
/// <see cref="StopContainer"/>, which the executor runs in the background.
/// </summary>
public static class AgentReconciler
{
    /// <param name="records">The agent's restart counts, which the restart policy's maxAttempts is measured against.</param>
    public static IReadOnlyList<AgentAction> Plan(IReadOnlyCollection<Replica> assigned, IReadOnlyCollection<ObservedContainer> observed,
        IReadOnlyDictionary<string, ReplicaRecord>? records = null)
    {
        var byId = assigned.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var removals = new List<AgentAction>();
        var stops = new List<AgentAction>();
        var starts = new List<AgentAction>();
        var creates = new List<AgentAction>();

        foreach (var c in observed.Where(c => c.ReplicaId is null))
            removals.Add(new RemoveContainer(c.Id, c.Name, RemoveReasons.NoReplicaLabel));

        foreach (var group in observed.Where(c => c.ReplicaId is not null).GroupBy(c => c.ReplicaId!, StringComparer.Ordinal))
        {
            if (!byId.TryGetValue(group.Key, out var replica))
                stops.AddRange(group.Select(c => new StopContainer(c.Id, c.Name, RemoveReasons.NotAssigned, null)));
            else if (replica.Terminating)
                stops.AddRange(group.Where(c => c.State != ContainerStates.Removing)
                    .Select(c => new StopContainer(c.Id, c.Name, RemoveReasons.Terminating, replica.Container.StopGraceTime)));
        }

        foreach (var replica in assigned.Where(r => !r.Terminating).OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            var mine = observed.Where(c => c.ReplicaId == replica.Id).ToList();
            removals.AddRange(mine.Where(c => c.SpecHash != replica.SpecHash)
                .Select(c => new RemoveContainer(c.Id, c.Name, RemoveReasons.SpecChanged)));
            var current = mine.Where(c => c.SpecHash == replica.SpecHash).ToList();
            var dead = current.Where(c => c.State == ContainerStates.Dead).ToList();
            removals.AddRange(dead.Select(c => new RemoveContainer(c.Id, c.Name, RemoveReasons.Dead)));

            var keeper = Keeper(current.Except(dead));
            if (keeper is null)
            {
                creates.Add(new CreateContainer(replica));
                continue;
            }
            removals.AddRange(current.Except(dead).Where(c => c != keeper)
                .Select(c => new RemoveContainer(c.Id, c.Name, RemoveReasons.Duplicate)));
            if (NeedsStart(keeper, replica, records?.GetValueOrDefault(replica.Id)?.RestartCount ?? 0))
                starts.Add(new StartContainer(keeper.Id, replica) { NeverStarted = keeper.State == ContainerStates.Created });
        }
        return [.. removals, .. stops, .. starts, .. creates];
    }

    /// <summary>Of several containers of one replica, the one to keep: a running one first, then the newest.</summary>
    public static ObservedContainer? Keeper(IEnumerable<ObservedContainer> candidates) => candidates
        .OrderByDescending(c => c.IsRunning)
        .ThenByDescending(c => c.CreatedAt)
        .ThenBy(c => c.Id, StringComparer.Ordinal)
        .FirstOrDefault();

    /// <summary>
    /// Created containers are started; exited ones when the replica's restart policy says so; running, paused,
    /// restarting and removing ones are left alone.
    /// </summary>
    private static bool NeedsStart(ObservedContainer c, Replica replica, int restarts) => c.State switch
    {
        ContainerStates.Created => true,
        ContainerStates.Exited => RestartDecision.Decide(replica.Container.RestartPolicy, c.ExitCode ?? 0, restarts) == RestartVerdict.Restart,
        _ => false,
    };
}
