using Orchestrator.Scheduler.Filters;
using Orchestrator.Scheduler.Scorers;

namespace Orchestrator.Scheduler;

/// <summary>
/// Places replicas one slot at a time: visit nodes in the evaluation's order, filter, score the feasible ones (up to
/// <see cref="NodesToScore"/>), choose the best (ties by the evaluation-seeded hash), then commit the placement to the
/// <see cref="SchedulingState"/> so the next slot of the batch, and the next request, see it.
/// Holds no state of its own; safe to share across threads as long as each thread works on its own state.
/// </summary>
public sealed class Placer
{
    private readonly IFilter[] _filters;
    private readonly IScorer[] _scorers;
    private readonly Func<int, int> _nodesToScore;

    /// <param name="nodesToScore">Feasible nodes to score per slot for a cluster of the given size; default <see cref="NodesToScore.Adaptive"/>.</param>
    public Placer(IReadOnlyList<IFilter> filters, IReadOnlyList<IScorer> scorers, Func<int, int>? nodesToScore = null)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(scorers);
        _filters = filters.ToArray();
        _scorers = scorers.ToArray();
        _nodesToScore = nodesToScore ?? NodesToScore.Adaptive;
        foreach (var scorer in _scorers)
            if (scorer.Weight < 0)
                throw new ArgumentException($"scorer \"{scorer.Name}\" has weight {scorer.Weight}; weights must be >= 0", nameof(scorers));
    }

    public IReadOnlyList<IFilter> Filters => _filters;

    public IReadOnlyList<IScorer> Scorers => _scorers;

    /// <summary>The one place where the default stack is composed.</summary>
    public static Placer CreateDefault(Func<int, int>? nodesToScore = null) => new(
        [
            // Cheapest and unresolvable first: a node that is down or cordoned is reported as such, which is
            // what a person needs to hear, rather than as whatever else it happens to lack.
            new ReadyNodeFilter(),
            // Then what only relabelling or untainting the node would change: a person fixes the manifest or the node.
            new NodeSelectorFilter(),
            new TaintsFilter(),
            // Plain arithmetic on the running totals.
            new ResourceFitFilter(),
            // Hash lookups, and only for requests that bind fixed host ports.
            new HostPortsFilter(),
            // Rules over where the service's and others' replicas are; each reads one precomputed count.
            new MaxPerNodeFilter(),
            new TopologySpreadFilter(),
            new AffinityFilter(),
            new AntiAffinityFilter(),
        ],
        [
            // Weight 2 against 1, as kube-scheduler weighs PodTopologySpread and InterPodAffinity against
            // NodeResourcesFit: keeping replicas apart (or near what they talk to) is about surviving a failure and
            // latency, so it comes before evening out load, and load still decides between equal nodes.
            new ServiceSpreadScorer(weight: 2),
            new TopologySpreadScorer(weight: 2),
            PreferredAffinityScorer.Affinity(weight: 2),
            PreferredAffinityScorer.AntiAffinity(weight: 2),
            // 3, as kube's TaintToleration: an operator who marks a node PreferNoSchedule means it.
            new TaintTolerationScorer(weight: 3),
            // Exactly one of the two is active, by spec.placement.strategy.
            new LeastAllocatedScorer(weight: 1),
            new BinpackScorer(weight: 1),
        ],
        nodesToScore);

    /// <summary>Places on a state built from the snapshot for this call only.</summary>
    public PlacementResult Place(ClusterSnapshot snapshot, PlacementRequest request) => Place(SchedulingState.From(snapshot), request);

    /// <summary>Places and commits every placement to <paramref name="state"/>, which the caller keeps for the next request.</summary>
    public PlacementResult Place(SchedulingState state, PlacementRequest request)
    {
        var ctx = PlacementContext.Create(state, request);
        try
        {
            var filters = Array.FindAll(_filters, f => f.IsActive(ctx));
            var scorers = Array.FindAll(_scorers, s => s.IsActive(ctx));
            var totalWeight = scorers.Sum(s => s.Weight);
            var order = new VisitOrder(state.NodeArray.Length, ctx.EvaluationHash);
            var limit = Math.Max(1, _nodesToScore(state.NodeArray.Length));
            var placements = new List<Placement>(request.Slots.Count);
            var unplaced = new List<Unplaced>();
            // Once a slot finds no node, nothing in the working state changes any more, so every later slot
            // (the same container) would be rejected for the same reasons: explain once, reuse.
            string? explanation = null;
            foreach (var slot in request.Slots)
            {
                // A slot whose data is on a node goes there or waits: decided apart, and never sets the shared explanation.
                if (request.VolumeNodes is { } pins && pins.TryGetValue(slot, out var pinned))
                {
                    if (VolumeAffinity.Choose(ctx, slot, pinned, (c, n) => Filter(c, n, filters), out var why) is { } holder)
                    {
                        placements.Add(new Placement(slot, holder.Name, $"{VolumeAffinity.Name}: slot {slot}'s volume is on {holder.Name}"));
                        ctx.Assign(holder);
                    }
                    else unplaced.Add(new Unplaced(slot, why!));
                    continue;
                }
                if (explanation is null)
                {
                    var best = ChooseNode(ctx, filters, scorers, ref order, limit, out var bestScore);
                    if (best is not null)
                    {
                        placements.Add(new Placement(slot, best.Name, ScoreBreakdown.Describe(ctx, best, scorers, bestScore, totalWeight)));
                        ctx.Assign(best);
                        continue;
                    }
                    explanation = Explain(ctx, filters);
                }
                unplaced.Add(new Unplaced(slot, explanation));
            }
            return new PlacementResult(placements, unplaced);
        }
        finally
        {
            ctx.Release();
        }
    }

    /// <summary>The first active filter that rejects the node, or success when none does.</summary>
    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node) => Filter(ctx, node, Array.FindAll(_filters, f => f.IsActive(ctx)));

    // A plugin that answers NaN or out of range must not win (or lose) by it.
    internal static double Clamp(double score) => double.IsNaN(score) ? 0 : Math.Clamp(score, 0, 1);

    private static FilterStatus Filter(PlacementContext ctx, NodeCandidate node, IFilter[] filters)
    {
        foreach (var filter in filters)
        {
            var status = filter.Filter(ctx, node);
            if (!status.IsSuccess) return status.Reason is null ? status with { Reason = filter.Name } : status;
        }
        return FilterStatus.Success;
    }

    // The hot loop: nodes in the evaluation's order until `limit` feasible ones were scored; no allocation.
    private static NodeCandidate? ChooseNode(PlacementContext ctx, IFilter[] filters, IScorer[] scorers, ref VisitOrder order, int limit, out double bestScore)
    {
        var nodes = ctx.State.NodeArray;
        NodeCandidate? best = null;
        bestScore = double.NegativeInfinity;
        var bestTie = 0UL;
        var index = order.Next;
        for (int visited = 0, feasible = 0; visited < nodes.Length && feasible < limit; visited++)
        {
            var node = nodes[index];
            if (++index == nodes.Length) index = 0;
            if (!Filter(ctx, node, filters).IsSuccess) continue;
            feasible++;
            var score = 0.0;
            foreach (var scorer in scorers) score += scorer.Weight * Clamp(scorer.Score(ctx, node));
            var tie = TieBreak.Combine(ctx.EvaluationHash, node.NameHash);
            if (best is null || score > bestScore || (score == bestScore && Precedes(tie, node, bestTie, best)))
            {
                best = node;
                bestScore = score;
                bestTie = tie;
            }
        }
        order.Next = index;
        return best;
    }

    // Equal scores: the lower seeded hash, then the name should two hashes ever collide.
    private static bool Precedes(ulong tie, NodeCandidate node, ulong otherTie, NodeCandidate other) =>
        tie != otherTie ? tie < otherTie : string.CompareOrdinal(node.Name, other.Name) < 0;

    private static string Explain(PlacementContext ctx, IFilter[] filters)
    {
        var rejections = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in ctx.Nodes)
        {
            var status = Filter(ctx, node, filters);
            if (status.IsSuccess) continue;
            rejections[status.Reason!] = rejections.GetValueOrDefault(status.Reason!) + 1;
        }
        return UnplacedExplanation.Format(ctx.Nodes.Count, rejections);
    }
}
