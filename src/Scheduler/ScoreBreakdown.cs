using System.Globalization;
using System.Text;

namespace Orchestrator.Scheduler;

/// <summary>
/// The winner's score and its parts, for <see cref="Placement.Reason"/>: "score 87: least allocated 0.91, service spread 1.00".
/// The total is the weighted mean scaled to 0..100; each part is the scorer's own 0..1 answer. Only the scorers active
/// for the request appear.
/// </summary>
internal static class ScoreBreakdown
{
    public static string Describe(PlacementContext ctx, NodeCandidate node, IScorer[] scorers, double total, int totalWeight)
    {
        if (scorers.Length == 0) return "no scorers: first feasible node in evaluation order";
        var percent = totalWeight == 0 ? 0 : Math.Round(100 * total / totalWeight, MidpointRounding.AwayFromZero);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"score {percent:0}:");
        for (var i = 0; i < scorers.Length; i++)
        {
            var score = Placer.Clamp(scorers[i].Score(ctx, node));
            text.Append(i == 0 ? " " : ", ").Append(CultureInfo.InvariantCulture, $"{scorers[i].Name} {score:0.00}");
        }
        return text.ToString();
    }
}
