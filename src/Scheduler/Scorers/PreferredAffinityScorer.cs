namespace Orchestrator.Scheduler.Scorers;

/// <summary>
/// Preferred affinity (be in a domain that holds a matching replica) or anti-affinity (be in one that holds none):
/// the weighted share of terms the node satisfies, so a weight-100 term outweighs a weight-50 one two to one.
/// A node outside a term's domain satisfies an anti-affinity term and fails an affinity term, as the filters do.
/// </summary>
public sealed class PreferredAffinityScorer : IScorer
{
    public const string AffinityName = "preferred affinity";
    public const string AntiAffinityName = "preferred anti-affinity";

    private readonly bool _anti;

    private PreferredAffinityScorer(bool anti, int weight)
    {
        _anti = anti;
        Weight = weight;
    }

    public static PreferredAffinityScorer Affinity(int weight = 2) => new(anti: false, weight);

    public static PreferredAffinityScorer AntiAffinity(int weight = 2) => new(anti: true, weight);

    public string Name => _anti ? AntiAffinityName : AffinityName;

    public int Weight { get; }

    public bool IsActive(PlacementContext ctx) => Terms(ctx).Length > 0;

    public double Score(PlacementContext ctx, NodeCandidate node)
    {
        double met = 0, total = 0;
        foreach (var term in Terms(ctx))
        {
            total += term.Term.Weight;
            if (term.CountAt(node) > 0 != _anti) met += term.Term.Weight;
        }
        return total == 0 ? 1 : met / total;
    }

    private AffinityDomains[] Terms(PlacementContext ctx) => _anti ? ctx.PreferredAntiAffinity : ctx.PreferredAffinity;
}
