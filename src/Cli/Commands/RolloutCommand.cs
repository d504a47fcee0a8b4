using System.CommandLine;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc rollout history SERVICE`: the spec versions a service went through, as kubectl rollout history.</summary>
public sealed class RolloutCommand(CliContext context)
{
    public Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "The service's name" };
        var ns = CommonOptions.Namespace();
        var history = new Command("history", "List a service's revisions (the last 10 spec versions; a scale is not one)") { name, ns };
        history.SetAction(async (parse, ct) =>
        {
            var (service, nsName) = (parse.GetValue(name)!, parse.GetValue(ns)!);
            var revisions = await context.Api(parse).ListRevisionsAsync(nsName, service, ct);
            var table = new Table("REVISION", "IMAGE", "CHANGE-CAUSE", "AGE");
            foreach (var r in revisions)
                table.Add(r.Revision.ToString(), r.Spec.Image, r.ChangeCause, Age.Since(r.CreatedAt, context.Now));
            context.Out.WriteLine($"service/{service}");
            table.Write(context.Out);
            return 0;
        });
        return new Command("rollout", "Look at how a service's spec changed over time") { history };
    }
}
