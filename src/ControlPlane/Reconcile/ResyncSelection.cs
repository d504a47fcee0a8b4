namespace Orchestrator.ControlPlane.Reconcile;

/// <summary>
/// Which services a periodic pass visits. A service whose record was written since the previous pass was written by
/// an apply, a scale or a rollback, each of which reconciles it at once in its own trace: visiting it now would race
/// that reconcile and could place its replicas in the pass's trace instead of the writer's (one trace from
/// `orc apply` to the Docker call). Such a service waits for the next pass, which visits it if nothing wrote it again.
/// The first pass of a control plane visits every service: it cannot know what was written before it started.
/// </summary>
public sealed class ResyncSelection
{
    private Dictionary<string, long>? _previous;

    /// <summary>The keys to visit now, given "ns/name" -> the revision each service's record was last written at.</summary>
    public IReadOnlyList<string> Due(IReadOnlyDictionary<string, long> versions)
    {
        var previous = _previous;
        _previous = new Dictionary<string, long>(versions);
        return previous is null
            ? [.. versions.Keys]
            : [.. versions.Where(v => previous.TryGetValue(v.Key, out var seen) && seen == v.Value).Select(v => v.Key)];
    }
}
