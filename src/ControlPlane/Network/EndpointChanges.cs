using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Network;

/// <summary>One change of a service's endpoints, as an event says it.</summary>
public sealed record EndpointChange(string Namespace, string Service, string Reason, string Message, bool Warning);

/// <summary>
/// The endpoint events between two views of every service's endpoints (<see cref="EndpointsView"/>): an
/// <see cref="Ready"/> for each replica that became an endpoint, an <see cref="Removed"/> for each that left, with why
/// (not ready, terminating, node down, or its replica removed). Leaving because its readiness failed or its node went
/// Down is a warning. Pure.
/// </summary>
public static class EndpointChanges
{
    public const string Ready = "EndpointReady";
    public const string Removed = "EndpointRemoved";
    public const string ReplicaRemoved = "replica removed";

    public static List<EndpointChange> Between(IReadOnlyList<ServiceEndpoints> before, IReadOnlyList<ServiceEndpoints> after)
    {
        var changes = new List<EndpointChange>();
        var was = before.ToDictionary(s => (s.Namespace, s.Name));
        foreach (var now in after)
        {
            var old = was.GetValueOrDefault((now.Namespace, now.Name));
            var oldReady = (old?.Ready ?? []).ToDictionary(e => e.ReplicaId, StringComparer.Ordinal);
            var nowReady = now.Ready.Select(e => e.ReplicaId).ToHashSet(StringComparer.Ordinal);
            foreach (var e in now.Ready.Where(e => !oldReady.ContainsKey(e.ReplicaId)))
                changes.Add(new EndpointChange(now.Namespace, now.Name, Ready, $"{Describe(e)} is an endpoint of {now.Name}", false));
            var notServing = now.NotReady.ToDictionary(e => e.ReplicaId, StringComparer.Ordinal);
            foreach (var e in oldReady.Values.Where(e => !nowReady.Contains(e.ReplicaId)))
            {
                var why = notServing.GetValueOrDefault(e.ReplicaId)?.NotServing ?? ReplicaRemoved;
                changes.Add(new EndpointChange(now.Namespace, now.Name, Removed, $"{Describe(e)} left the endpoints of {now.Name}: {why}",
                    why is EndpointsView.NotReady or EndpointsView.NodeDown));
            }
        }
        // A deleted service takes its endpoints with it: one event each, so the history says where they went.
        var present = after.Select(s => (s.Namespace, s.Name)).ToHashSet();
        foreach (var gone in before.Where(s => !present.Contains((s.Namespace, s.Name))))
            foreach (var e in gone.Ready)
                changes.Add(new EndpointChange(gone.Namespace, gone.Name, Removed, $"{Describe(e)} left the endpoints of {gone.Name}: service deleted", false));
        return changes;
    }

    private static string Describe(EndpointAddress e) => $"replica {e.ReplicaId} ({e.Ip} on {e.Node})";
}
