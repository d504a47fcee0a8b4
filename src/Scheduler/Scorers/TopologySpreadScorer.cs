namespace Orchestrator.Scheduler.Scorers;

/// <summary>
/// Among nodes the <see cref="Filters.TopologySpreadFilter"/> lets through, prefer the emptiest domain: 1 at the
/// minimum, falling by 1/(maxSkew+1) per replica above it, averaged over the constraints. Without it a batch would fill
/// every domain up to the allowed skew before touching the emptiest one.
/// </summary>
public sealed class TopologySpreadScorer(int weight = 2) : IScorer
{
    public const string ScorerName = "topology spread";

    public string Name => ScorerName;

    public int Weight { get; } = weight;

    public bool IsActive(PlacementContext ctx) => ctx.Spread.Length > 0;

    public double Score(PlacementContext ctx, NodeCandidate node)
    {
        var total = 0.0;
        foreach (var spread in ctx.Spread)
        {
            var above = spread.CountAt(node) - spread.Min;
            total += above < 0 ? 1 : 1 - (double)above / (spread.Constraint.MaxSkew + 1);
        }
        return total / ctx.Spread.Length;
    }
}
