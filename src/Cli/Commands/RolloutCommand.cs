using System.CommandLine;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc rollout history|status|undo|pause|resume SERVICE`, as kubectl rollout.</summary>
public sealed class RolloutCommand(CliContext context)
{
    public Command Build() => new("rollout", "Follow, pause, resume or undo a service's rolling update, and list its revisions")
    {
        History(), Status(), Undo(), Pause(true), Pause(false),
    };

    private static Argument<string> Name() => new("NAME") { Description = "The service's name" };

    private Command History()
    {
        var (name, ns) = (Name(), CommonOptions.Namespace());
        var history = new Command("history", "List a service's revisions (the last 10 spec versions; a scale is not one)") { name, ns };
        history.SetAction(async (parse, ct) =>
        {
            var (service, nsName) = (parse.GetValue(name)!, parse.GetValue(ns)!);
            var api = context.Api(parse);
            var revisions = await api.ListRevisionsAsync(nsName, service, ct);
            var current = (await api.GetServiceAsync(nsName, service, ct)).Service.Metadata.Revision;
            var table = new Table("REVISION", "IMAGE", "CHANGE-CAUSE", "AGE");
            foreach (var r in revisions)
                table.Add(r.Revision + (r.Revision == current ? " (current)" : ""), r.Spec.Image, r.ChangeCause, Age.Since(r.CreatedAt, context.Now));
            context.Out.WriteLine($"service/{service}");
            table.Write(context.Out);
            return 0;
        });
        return history;
    }

    private Command Status()
    {
        var (name, ns) = (Name(), CommonOptions.Namespace());
        var timeout = Timeout("how long to wait for the rollout to finish");
        var status = new Command("status", "Wait for the service's rollout to finish; exit 1 if it fails, is paused or times out") { name, ns, timeout };
        status.SetAction((parse, ct) => new RolloutWaiter(context, context.Api(parse))
            .WaitAsync(parse.GetValue(ns)!, parse.GetValue(name)!, parse.GetValue(timeout), ct));
        return status;
    }

    private Command Undo()
    {
        var (name, ns) = (Name(), CommonOptions.Namespace());
        var to = new Option<long?>("--to-revision") { Description = "The revision to go back to (default: the one before the current)" };
        var undo = new Command("undo", "Put an earlier revision's spec back, as a new revision rolled out like any change") { name, ns, to };
        undo.SetAction(async (parse, ct) =>
        {
            var service = parse.GetValue(name)!;
            var answer = await context.Api(parse).UndoRolloutAsync(parse.GetValue(ns)!, service, parse.GetValue(to), ct);
            context.Out.WriteLine($"service/{service} rolled back to revision {answer.ToRevision} (now revision {answer.Revision})");
            return 0;
        });
        return undo;
    }

    private Command Pause(bool paused)
    {
        var (name, ns) = (Name(), CommonOptions.Namespace());
        var command = new Command(paused ? "pause" : "resume", paused
            ? "Hold the service's rollout: no replica is replaced until it is resumed"
            : "Go on with a paused rollout, or retry one that failed and was held") { name, ns };
        command.SetAction(async (parse, ct) =>
        {
            var service = parse.GetValue(name)!;
            await context.Api(parse).SetRolloutPausedAsync(parse.GetValue(ns)!, service, paused, ct);
            context.Out.WriteLine($"service/{service} {(paused ? "paused" : "resumed")}");
            return 0;
        });
        return command;
    }

    public static Option<TimeSpan> Timeout(string what) =>
        CommonOptions.Duration("--timeout", $"{char.ToUpperInvariant(what[0])}{what[1..]}", RolloutWaiter.DefaultTimeout);
}
