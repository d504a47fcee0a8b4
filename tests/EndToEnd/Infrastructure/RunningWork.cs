using Orchestrator.Contracts;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// What runs, as the engine sees it: every container's id and start time. Two equal snapshots mean that nothing was
/// stopped, removed, recreated or restarted in between.
/// </summary>
public static class RunningWork
{
    public static string Describe(IEnumerable<ContainerInfo> containers) =>
        string.Join(", ", containers.OrderBy(c => c.Id).Select(c => $"{c.Name} {c.Id[..12]} started {c.StartedAt:HH:mm:ss.fff}"));

    /// <summary>Fails naming what changed when <paramref name="after"/> is not exactly <paramref name="before"/>.</summary>
    public static void AssertUnchanged(IReadOnlyList<ContainerInfo> before, IReadOnlyList<ContainerInfo> after, string when)
    {
        Assert.True(before.Count > 0, "nothing ran before: the check would prove nothing");
        var b = Describe(before);
        var a = Describe(after);
        Assert.True(b == a, $"{when}: the running containers changed\n before: {b}\n after:  {a}");
    }

    /// <summary>Events of <paramref name="reasons"/> about node <paramref name="node"/> since <paramref name="since"/>.</summary>
    public static List<ClusterEvent> NodeEvents(IEnumerable<ClusterEvent>? events, string node, DateTimeOffset since, params string[] reasons) =>
        (events ?? throw new InvalidOperationException("the events could not be read"))
            .Where(e => e.Object == $"Node/{node}" && e.Time >= since && reasons.Contains(e.Reason)).ToList();
}
