using Orchestrator.Scheduler.Filters;
using Orchestrator.Scheduler.Scorers;

namespace Orchestrator.Scheduler;

/// <summary>
/// Places replicas one slot at a time: filter every node, score the feasible ones, choose the best
/// (ties by the evaluation-seeded order), then record the placement in the working state so the next
/// slot of the batch sees it. Stateless between calls; safe to share when the plugins are.
/// </summary>
public sealed class Placer
{
    private readonly IFilter[] _filters;
    private readonly IScorer[] _scorers;
    private readonly int _totalWeight;

    public Placer(IReadOnlyList<IFilter> filters, IReadOnlyList<IScorer> scorers)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(scorers);
        _filters = filters.ToArray();
        _scorers = scorers.ToArray();
        foreach (var scorer in _scorers)
        {
            if (scorer.Weight < 0)
                throw new ArgumentException($"scorer \"{scorer.Name}\" has weight {scorer.Weight}; weights must be >= 0", nameof(scorers));
            _totalWeight += scorer.Weight;
        }
    }

    public IReadOnlyList<IFilter> Filters => _filters;

    public IReadOnlyList<IScorer> Scorers => _scorers;

    /// <summary>The one place where the default stack is composed.</summary>
    public static Placer CreateDefault() => new(
        [
            // Cheapest and unresolvable first: a node that is down or cordoned is reported as such, which is
            // what a person needs to hear, rather than as whatever else it happens to lack.
            new ReadyNodeFilter(),
            // Plain arithmetic on the precomputed totals.
            new ResourceFitFilter(),
            // Hash lookups, and only for requests that bind fixed host ports.
            new HostPortsFilter(),
        ],
        [
            // Weight 2 against 1, as kube-scheduler weighs PodTopologySpread against NodeResourcesFit:
            // keeping a service's replicas on different machines is about surviving a failure, so it comes
            // before evening out load, and load still decides between equally spread nodes.
            new ServiceSpreadScorer(weight: 2),
            new LeastAllocatedScorer(weight: 1),
        ]);

    public PlacementResult Place(ClusterSnapshot snapshot, PlacementRequest request)
    {
        var ctx = PlacementContext.Create(snapshot, request);
        var placements = new List<Placement>(request.Slots.Count);
        var unplaced = new List<Unplaced>();
        // Once a slot finds no node, nothing in the working state changes any more, so every later slot
        // (the same container) would be rejected for the same reasons: explain once, reuse.
        string? explanation = null;
        foreach (var slot in request.Slots)
        {
            if (explanation is null)
            {
                var best = ChooseNode(ctx, out var bestScore);
                if (best is not null)
                {
                    placements.Add(new Placement(slot, best.Name, ScoreBreakdown.Describe(ctx, best, _scorers, bestScore, _totalWeight)));
                    ctx.Assign(best);
                    continue;
                }
                explanation = Explain(ctx);
            }
            unplaced.Add(new Unplaced(slot, explanation));
        }
        return new PlacementResult(placements, unplaced);
    }

    /// <summary>The first filter that rejects the node, or success when none does.</summary>
    public FilterStatus Filter(PlacementContext ctx, NodeCandidate node)
    {
        foreach (var filter in _filters)
        {
            var status = filter.Filter(ctx, node);
            if (!status.IsSuccess) return status.Reason is null ? status with { Reason = filter.Name } : status;
        }
        return FilterStatus.Success;
    }

    /// <summary>The weighted sum of every scorer's answer, each clamped to 0..1.</summary>
    public double Score(PlacementContext ctx, NodeCandidate node)
    {
        var total = 0.0;
        foreach (var scorer in _scorers) total += scorer.Weight * Clamp(scorer.Score(ctx, node));
        return total;
    }

    // A plugin that answers NaN or out of range must not win (or lose) by it.
    internal static double Clamp(double score) => double.IsNaN(score) ? 0 : Math.Clamp(score, 0, 1);

    // The hot loop: O(nodes) with no allocation, which is what makes large batches on large clusters fast.
    private NodeCandidate? ChooseNode(PlacementContext ctx, out double bestScore)
    {
        NodeCandidate? best = null;
        bestScore = double.NegativeInfinity;
        foreach (var node in ctx.NodeArray)
        {
            if (!Filter(ctx, node).IsSuccess) continue;
            var score = Score(ctx, node);
            if (best is null || score > bestScore || (score == bestScore && node.PrecedesOnTie(best)))
            {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }

    private string Explain(PlacementContext ctx)
    {
        var rejections = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in ctx.Nodes)
        {
            var status = Filter(ctx, node);
            if (status.IsSuccess) continue;
            rejections[status.Reason!] = rejections.GetValueOrDefault(status.Reason!) + 1;
        }
        return UnplacedExplanation.Format(ctx.Nodes.Count, rejections);
    }
}
