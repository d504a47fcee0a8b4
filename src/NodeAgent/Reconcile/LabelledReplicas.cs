using System.Globalization;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>
/// Before the first sync (an agent restarted while the control plane is down) the container labels are all the
/// agent knows. It reads replicas back from them so that crashed containers are started again; it creates and
/// removes nothing on that knowledge.
/// </summary>
public static class LabelledReplicas
{
    public static IReadOnlyList<AgentAction> KeepRunning(IReadOnlyCollection<ObservedContainer> observed)
    {
        // Where one replica has several containers, the one reconcile would keep says which spec it runs.
        var remembered = observed
            .Where(c => c.ReplicaId is not null && c.SpecHash is not null)
            .GroupBy(c => c.ReplicaId!, StringComparer.Ordinal)
            .Select(g => FromLabels(AgentReconciler.Keeper(g)!))
            .ToList();
        return AgentReconciler.Plan(remembered, observed).OfType<StartContainer>().ToList();
    }

    private static Replica FromLabels(ObservedContainer c) => new()
    {
        Id = c.ReplicaId!,
        Namespace = c.Labels.GetValueOrDefault(ContainerLabels.Namespace) ?? ObjectKinds.DefaultNamespace,
        Service = c.Labels.GetValueOrDefault(ContainerLabels.Service) ?? "",
        Slot = int.TryParse(c.Labels.GetValueOrDefault(ContainerLabels.Slot), CultureInfo.InvariantCulture, out var slot) ? slot : 0,
        SpecHash = c.SpecHash!,
    };
}
