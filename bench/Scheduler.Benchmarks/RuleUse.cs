using System.Collections.Concurrent;

namespace Orchestrator.Scheduler.Benchmarks;

/// <summary>
/// Which rules the workload really exercised: the default placer's filters and scorers, each wrapped to count how
/// often it was in use and (a filter) which nodes it turned away and why. Run beside the measured pass (never inside
/// it: the counting costs time), it turns "every placement rule active" from a claim into a reading.
/// </summary>
public sealed class RuleUse
{
    private readonly ConcurrentDictionary<string, long> _active = new();
    private readonly ConcurrentDictionary<string, long> _rejected = new();

    public Placer Placer { get; }

    public RuleUse(Placer measured) => Placer = new Placer(
        measured.Filters.Select(f => (IFilter)new CountedFilter(f, this)).ToList(),
        measured.Scorers.Select(s => (IScorer)new CountedScorer(s, this)).ToList());

    /// <summary>The rules that never did anything in this workload, and the conditions never met; empty when all were.</summary>
    public IReadOnlyList<string> Unused(IEnumerable<string> wantedReasons)
    {
        var unused = new List<string>();
        foreach (var f in Placer.Filters)
            if (_rejected.Keys.All(k => !k.StartsWith(f.Name + ": ", StringComparison.Ordinal))) unused.Add($"filter {f.Name} rejected no node");
        foreach (var s in Placer.Scorers)
            if (_active.GetValueOrDefault(s.Name) == 0) unused.Add($"scorer {s.Name} scored no request");
        foreach (var reason in wantedReasons)
            if (_rejected.Keys.All(k => !k.Contains(reason, StringComparison.Ordinal))) unused.Add($"no node turned away for \"{reason}\"");
        return unused;
    }

    /// <summary>"filter: reason  count" lines, the most frequent first.</summary>
    public IEnumerable<string> Rejections() =>
        _rejected.OrderByDescending(p => p.Value).Select(p => $"{p.Key,-70} {p.Value,12:N0}");

    public IEnumerable<string> ActiveScorers() =>
        Placer.Scorers.Select(s => $"{s.Name,-40} {_active.GetValueOrDefault(s.Name),8:N0} requests");

    private sealed class CountedFilter(IFilter inner, RuleUse use) : IFilter
    {
        public string Name => inner.Name;

        public bool IsActive(PlacementContext ctx) => inner.IsActive(ctx);

        public FilterStatus Filter(PlacementContext ctx, NodeCandidate node)
        {
            var status = inner.Filter(ctx, node);
            // "host port in use: 9000/tcp" counts as "host port in use": one line per kind of reason
            if (!status.IsSuccess) use._rejected.AddOrUpdate($"{Name}: {(status.Reason ?? Name).Split(": ")[0]}", 1, (_, n) => n + 1);
            return status;
        }
    }

    private sealed class CountedScorer(IScorer inner, RuleUse use) : IScorer
    {
        public string Name => inner.Name;

        public int Weight => inner.Weight;

        public bool IsActive(PlacementContext ctx)
        {
            var active = inner.IsActive(ctx);
            if (active) use._active.AddOrUpdate(Name, 1, (_, n) => n + 1);
            return active;
        }

        public double Score(PlacementContext ctx, NodeCandidate node) => inner.Score(ctx, node);
    }
}
