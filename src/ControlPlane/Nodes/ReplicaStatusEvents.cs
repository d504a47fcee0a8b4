using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Nodes;

public sealed record StatusEvent(string Reason, string Message, bool Warning);

/// <summary>
/// What a change in a replica's reported status means to a person, as events: a pure function of the last written
/// status and the new one, so that every transition is said once and nothing is said for a mere re-report.
/// </summary>
public static class ReplicaStatusEvents
{
    /// <param name="name">The replica's name as `orc get replicas` shows it (web.1.px9r2x); its id when it is not known.</param>
    public static IReadOnlyList<StatusEvent> Between(ReplicaStatus? last, ReplicaStatus now, string node, string? name = null)
    {
        var events = new List<StatusEvent>();
        var who = $"replica {name ?? now.ReplicaId} on {node}";
        var container = now.ContainerId is null ? "" : $" (container {now.ContainerId[..Math.Min(12, now.ContainerId.Length)]})";
        var sameContainer = last is not null && last.ContainerId == now.ContainerId;

        if (sameContainer && now.RestartCount > last!.RestartCount)
            events.Add(new("Restarted", $"{who} restarted (restart {now.RestartCount})", true));
        if (now.Message is { } m && m.StartsWith("liveness probe failed", StringComparison.Ordinal) && m != last?.Message)
            events.Add(new("Unhealthy", $"{who}: {m}; the container is restarted", true));

        // A create or start that keeps failing is said once per reason, not on every retry.
        var newFailure = now.Reason is not null && (last?.Reason != now.Reason || last.Message != now.Message);
        if (!sameContainer || last!.State != now.State || newFailure)
        {
            var transition = now.State switch
            {
                ReplicaState.Running => new StatusEvent("Started", $"{who} running{container}", false),
                ReplicaState.Exited => new StatusEvent("Exited", $"{who} exited with code {now.ExitCode}{container}", now.ExitCode != 0),
                ReplicaState.CrashLoopBackOff => new StatusEvent("BackOff",
                    $"{who}: {now.Message ?? "crashed"}" + (now.NextRestartAt is { } at ? $"; next restart at {at:HH:mm:ss}" : ""), true),
                ReplicaState.Failed when now.Reason is { } reason => new StatusEvent(reason, $"{who}: {now.Message}; retrying with back-off", true),
                ReplicaState.Failed => new StatusEvent("Failed", $"{who} failed: {now.Message}", true),
                _ => null,
            };
            if (transition is not null) events.Add(transition);
        }

        // Readiness is news only for a running container; a stop already said why it is not ready.
        if (now.State == ReplicaState.Running && last is not null && last.Ready != now.Ready && sameContainer)
            events.Add(now.Ready
                ? new("Ready", $"{who} is ready", false)
                : new("NotReady", $"{who} is not ready: {now.LastProbe ?? "readiness probe failing"}", true));
        return events;
    }

    /// <summary>
    /// The events of one report, one per service and reason: a node that starts 30 replicas of a service says so in one
    /// event (one etcd write), naming each, rather than in 30.
    /// </summary>
    public static IReadOnlyList<(string Namespace, string Service, StatusEvent Event)> PerService(
        IEnumerable<(string Namespace, string Service, StatusEvent Event)> events) =>
        events.GroupBy(e => (e.Namespace, e.Service, e.Event.Reason, e.Event.Warning))
            .Select(g => g.Count() == 1
                ? g.First()
                : (g.Key.Namespace, g.Key.Service, new StatusEvent(g.Key.Reason, $"{g.Count()} replicas: " + string.Join("; ", g.Select(e => e.Event.Message)), g.Key.Warning)))
            .ToList();

    /// <summary>
    /// Whether two reports say the same thing. The observation time and the wording of the last probe do not count:
    /// re-writing etcd for them would cost a write per probe period for nothing a person acts on.
    /// </summary>
    /// <remarks>
    /// Every report of every replica is compared (30,000 at 1,000 nodes), so by the record's own equality, not through JSON
    /// (which took a fifth of the control plane's CPU then): the one list it holds, the ports, is compared item by item.
    /// </remarks>
    public static bool Same(ReplicaStatus a, ReplicaStatus b) =>
        Comparable(a) == Comparable(b) && a.Ports.SequenceEqual(b.Ports);

    private static readonly List<PortBinding> NoPorts = [];

    private static ReplicaStatus Comparable(ReplicaStatus s) => s with { ObservedAt = default, LastProbe = null, Ports = NoPorts };
}
