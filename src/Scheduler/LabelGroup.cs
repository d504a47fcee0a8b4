namespace Orchestrator.Scheduler;

/// <summary>
/// Replicas of one namespace that carry the same labels, counted per node. Affinity terms match label sets, not
/// replicas: a cluster of 150,000 replicas has a few thousand label sets, so a selector is resolved against those.
/// </summary>
internal sealed class LabelGroup(string ns, IReadOnlyDictionary<string, string> labels)
{
    public string Namespace { get; } = ns;

    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    /// <summary>Node index -> replicas of this group there.</summary>
    public Dictionary<int, int> PerNode { get; } = new();

    public bool Matches(string ns, IReadOnlyDictionary<string, string> selector)
    {
        if (ns != Namespace) return false;
        foreach (var (key, value) in selector)
            if (!Labels.TryGetValue(key, out var actual) || actual != value) return false;
        return true;
    }

    /// <summary>Whether these are exactly the group's labels (the namespace is the caller's to compare).</summary>
    public bool HasExactly(IReadOnlyDictionary<string, string> labels)
    {
        if (labels.Count != Labels.Count) return false;
        foreach (var (key, value) in labels)
            if (!Labels.TryGetValue(key, out var actual) || actual != value) return false;
        return true;
    }

    /// <summary>One text per namespace and label set, whatever the order the labels were written in.</summary>
    public static string KeyOf(string ns, IReadOnlyDictionary<string, string> labels) =>
        ns + "\n" + string.Join("\n", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
