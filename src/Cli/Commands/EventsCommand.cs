using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>`orc events [-n NS] [--service S] [--watch]`: what happened in the cluster, oldest first, like kubectl get events.</summary>
public sealed class EventsCommand(CliContext context)
{
    public Command Build()
    {
        var ns = CommonOptions.NamespaceFilter();
        var service = new Option<string?>("--service") { Description = "Only the events of this service (with -n, default namespace \"default\")" };
        var all = CommonOptions.AllNamespaces();
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep printing new events until interrupted" };
        var command = new Command("events", "List the cluster's events: nodes, services, replicas") { ns, all, service, watch };
        command.SetAction(async (parse, ct) =>
        {
            var api = context.Api(parse);
            var serviceName = parse.GetValue(service);
            // A service's events are kept under its namespace, so --service needs one even with -A.
            var nsName = serviceName is null
                ? parse.GetValue(all) ? null : parse.GetValue(ns)
                : parse.GetValue(ns) ?? CommonOptions.DefaultNamespace;
            var events = await api.ListEventsAsync(nsName, serviceName, ct);
            Print(events, header: true);
            if (!parse.GetValue(watch)) return 0;
            var seen = events.Count == 0 ? DateTimeOffset.MinValue : events[^1].Time;
            return await Following.UntilInterruptedAsync(async () =>
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), context.Environment.Time, ct);
                    var fresh = (await api.ListEventsAsync(nsName, serviceName, ct)).Where(e => e.Time > seen).ToList();
                    if (fresh.Count == 0) continue;
                    Print(fresh, header: false);
                    seen = fresh[^1].Time;
                }
            }, ct);
        });
        return command;
    }

    private void Print(IReadOnlyList<ClusterEvent> events, bool header)
    {
        if (events.Count == 0)
        {
            if (header) context.Err.WriteLine("No events found.");
            return;
        }
        var table = new Table("AGE", "TYPE", "REASON", "OBJECT", "MESSAGE");
        foreach (var e in events) table.Add(Age.Since(e.Time, context.Now), e.Type, e.Reason, e.Object, e.Message);
        var text = new StringWriter();
        table.Write(text);
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // While watching, later batches carry no header (as kubectl get -w).
        foreach (var line in header ? lines : lines.Skip(1)) context.Out.WriteLine(line);
    }
}
