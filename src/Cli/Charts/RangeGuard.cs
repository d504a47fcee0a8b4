using Fluid;
using Fluid.Ast;
using Fluid.Values;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Charts;

/// <summary>
/// Fluid builds a range such as (1..100000000) as a whole array before a loop counts a single step, so its step limit
/// comes after seconds of work and gigabytes of memory. This rewriter checks every range's size first: more items than
/// <see cref="ManifestLimits.MaxTemplateSteps"/> stops the render before anything is built.
/// </summary>
internal sealed class RangeGuard : AstRewriter
{
    public sealed class TooLong(decimal items) : Exception($"a range of {items} items, more than {ManifestLimits.MaxTemplateSteps}");

    protected override Expression VisitRangeExpression(RangeExpression range) =>
        new RangeExpression(range.From, new CheckedEnd(range.From, range.To));

    /// <summary>The range's end, evaluated only after its distance from the start passed the check.</summary>
    private sealed class CheckedEnd(Expression from, Expression to) : Expression
    {
        public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
        {
            var end = await to.EvaluateAsync(context);
            var items = Math.Abs(end.ToNumberValue() - (await from.EvaluateAsync(context)).ToNumberValue()) + 1;
            return items > ManifestLimits.MaxTemplateSteps ? throw new TooLong(items) : end;
        }
    }
}
