using System.Text;

namespace Orchestrator.Scheduler;

/// <summary>
/// The winner's score and its parts, for <see cref="Placement.Reason"/>: "score 87: least allocated 0.91, service spread 1.00".
/// The total is the weighted mean scaled to 0..100; each part is the scorer's own 0..1 answer. Only the scorers active
/// for the request appear. Written once per placement, so it reuses one builder per thread and formats the fixed-point
/// numbers itself: general number formatting cost more than choosing the node.
/// </summary>
internal static class ScoreBreakdown
{
    [ThreadStatic] private static StringBuilder? _text;

    public static string Describe(PlacementContext ctx, NodeCandidate node, IScorer[] scorers, double total, int totalWeight)
    {
        if (scorers.Length == 0) return "no scorers: first feasible node in evaluation order";
        var text = _text ??= new StringBuilder(128);
        text.Clear();
        var percent = totalWeight == 0 ? 0 : (long)Math.Round(100 * total / totalWeight, MidpointRounding.AwayFromZero);
        text.Append("score ").Append(percent).Append(':');
        for (var i = 0; i < scorers.Length; i++)
        {
            var hundredths = (long)Math.Round(100 * Placer.Clamp(scorers[i].Score(ctx, node)), MidpointRounding.AwayFromZero);
            text.Append(i == 0 ? " " : ", ").Append(scorers[i].Name).Append(' ')
                .Append(hundredths / 100).Append('.').Append((char)('0' + hundredths % 100 / 10)).Append((char)('0' + hundredths % 10));
        }
        return text.ToString();
    }
}
