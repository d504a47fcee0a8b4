using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc describe service NAME`: everything a person needs to answer "why is it not running?" in one screen —
/// the spec, the counts with the scheduler's pending reason, each replica with its placement reason, and recent events.
/// </summary>
public sealed class DescribeCommand(CliContext context)
{
    private const int LabelWidth = 14;

    public Command Build()
    {
        var (service, name, ns) = CommonOptions.ServiceTarget("Show a service in detail, with its replicas and events");
        service.SetAction(async (parse, ct) =>
        {
            var detail = await context.Api(parse).GetServiceAsync(parse.GetValue(ns)!, parse.GetValue(name)!, ct);
            Write(detail);
            return 0;
        });
        return new Command("describe", "Show an object in detail") { service };
    }

    private void Write(ServiceDetail detail)
    {
        var (meta, spec, status) = (detail.Service.Metadata, detail.Service.Spec, detail.Status);
        Field("Name", meta.Name);
        Field("Namespace", meta.Namespace);
        Fields("Labels", Cells.Pairs(meta.Labels));
        Field("Image", spec.Image);
        Field("Command", Words(spec.Command));
        Field("Args", Words(spec.Args));
        Fields("Env", Cells.Pairs(spec.Env));
        Field("Resources", $"cpu={spec.Resources.Cpu ?? Cells.None} memory={spec.Resources.Memory ?? Cells.None}");
        Field("Ports", Cells.SpecPorts(spec.Ports));
        // Shown only when set, so that a service without them reads as before.
        if (spec.RestartPolicy is { } restart) Field("Restart", HealthCells.RestartPolicy(restart));
        if (spec.LivenessProbe is { } liveness) Field("Liveness", HealthCells.Probe(liveness));
        if (spec.ReadinessProbe is { } readiness) Field("Readiness", HealthCells.Probe(readiness));
        Field("Replicas", $"{status.Desired} desired | {status.Running} running | {status.Pending} pending");
        if (!string.IsNullOrEmpty(status.PendingReason)) Field("Pending", status.PendingReason);
        // What keeps a placed replica from running (the pending reason is said just above).
        if (status.Reason is { } reason && reason != status.PendingReason) Field("Reason", reason);
        if (!string.IsNullOrEmpty(status.StuckReason)) Field("Stuck", status.StuckReason);
        if (spec.UpdateStrategy is { } update)
            Field("Update", $"maxSurge={update.MaxSurge} maxUnavailable={update.MaxUnavailable} order={UpdateStrategy.Word(update.Order)} " +
                $"minReadySeconds={update.MinReadySeconds} progressDeadline={update.ProgressDeadline} onFailure={UpdateStrategy.Word(update.OnFailure)}");
        if (detail.Rollout is { } rollout)
            Field("Rollout", $"revision {rollout.Revision} {rollout.Phase}: {rollout.Message}" +
                (rollout.FailureReason is { } why ? $" (revision {rollout.FailedRevision} failed: {why})" : ""));
        Field("Generation", meta.Generation.ToString());
        Field("Created", meta.CreatedAt is { } created ? $"{created:u} ({Age.Since(created, context.Now)} ago)" : Age.Unknown);

        context.Out.WriteLine();
        Section("Replicas", detail.Replicas.Count, () => ReplicaTable.OfService(detail.Replicas, context.Now));
        context.Out.WriteLine();
        Section("Events", detail.Events.Count, () => Events(detail.Events));
    }

    private Table Events(IEnumerable<ClusterEvent> events)
    {
        var table = new Table("AGE", "TYPE", "REASON", "MESSAGE");
        foreach (var e in events) table.Add(Age.Since(e.Time, context.Now), e.Type, e.Reason, e.Message);
        return table;
    }

    private void Section(string title, int count, Func<Table> table)
    {
        if (count == 0)
        {
            Field(title, Cells.None);
            return;
        }
        context.Out.WriteLine($"{title}:");
        table().Write(context.Out, indent: "  ");
    }

    private void Field(string label, string value) => context.Out.WriteLine($"{label + ":",-LabelWidth}{value}");

    /// <summary>kubectl lists labels one a line, the first beside the label and the rest under it.</summary>
    private void Fields(string label, IEnumerable<string> values)
    {
        var lines = values.ToList();
        if (lines.Count == 0) lines.Add(Cells.None);
        Field(label, lines[0]);
        foreach (var line in lines.Skip(1)) context.Out.WriteLine(new string(' ', LabelWidth) + line);
    }

    /// <summary>Quoted only when a word holds a space, so the line can be pasted back into a shell.</summary>
    private static string Words(List<string>? words) =>
        words is null ? Cells.None : string.Join(" ", words.Select(w => w.Contains(' ') || w.Length == 0 ? $"\"{w}\"" : w));
}
