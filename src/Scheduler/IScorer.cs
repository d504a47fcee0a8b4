namespace Orchestrator.Scheduler;

/// <summary>
/// Ranking: how good is a node that passed every filter? Returns 0 (worst) to 1 (best); the placer clamps
/// anything outside and sums <c>Weight * score</c> over the active scorers. Stateless, like <see cref="IFilter"/>.
/// </summary>
public interface IScorer
{
    /// <summary>Short human constant; it appears in <see cref="Placement.Reason"/>, e.g. "least allocated 0.91".</summary>
    string Name { get; }

    /// <summary>Relative importance, >= 0.</summary>
    int Weight { get; }

    /// <summary>
    /// False when the scorer has no opinion on this request (no preferred terms; the other strategy): it is then left out of
    /// the sum and of <see cref="Placement.Reason"/>, so the reason names only what decided.
    /// </summary>
    bool IsActive(PlacementContext ctx) => true;

    double Score(PlacementContext ctx, NodeCandidate node);
}
