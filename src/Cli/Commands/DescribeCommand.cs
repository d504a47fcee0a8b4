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
    public Command Build()
    {
        var (service, name, ns) = CommonOptions.ServiceTarget("Show a service in detail, with its replicas and events");
        service.SetAction(async (parse, ct) =>
        {
            var detail = await context.Api(parse).GetServiceAsync(parse.GetValue(ns)!, parse.GetValue(name)!, ct);
            Write(detail);
            return 0;
        });
        return new Command("describe", "Show an object in detail (TYPE NAME or TYPE/NAME)")
        {
            service, new DescribeNode(context).Build(), new DescribeReplica(context).Build(),
            new DescribeDataObject(context).Secret(), new DescribeDataObject(context).Config(),
        };
    }

    private void Write(ServiceDetail detail)
    {
        var d = new DescribeWriter(context.Out, context.Now);
        var (meta, spec, status) = (detail.Service.Metadata, detail.Service.Spec, detail.Status);
        d.Field("Name", meta.Name);
        d.Field("Namespace", meta.Namespace);
        d.Fields("Labels", Cells.Pairs(meta.Labels));
        d.Field("Image", spec.Image);
        d.Field("Command", Words(spec.Command));
        d.Field("Args", Words(spec.Args));
        d.Fields("Env", Cells.Pairs(spec.Env));
        d.Field("Resources", $"cpu={spec.Resources.Cpu ?? Cells.None} memory={spec.Resources.Memory ?? Cells.None}");
        d.Field("Ports", Cells.SpecPorts(spec.Ports));
        // Shown only when set, so that a service without them reads as before.
        if (spec.RestartPolicy is { } restart) d.Field("Restart", HealthCells.RestartPolicy(restart));
        if (spec.LivenessProbe is { } liveness) d.Field("Liveness", HealthCells.Probe(liveness));
        if (spec.ReadinessProbe is { } readiness) d.Field("Readiness", HealthCells.Probe(readiness));
        d.Field("Replicas", $"{status.Desired} desired | {status.Running} running | {status.Pending} pending");
        if (!string.IsNullOrEmpty(status.PendingReason)) d.Field("Pending", status.PendingReason);
        // What keeps a placed replica from running (the pending reason is said just above).
        if (status.Reason is { } reason && reason != status.PendingReason) d.Field("Reason", reason);
        if (!string.IsNullOrEmpty(status.StuckReason)) d.Field("Stuck", status.StuckReason);
        if (spec.UpdateStrategy is { } update)
            d.Field("Update", $"maxSurge={update.MaxSurge} maxUnavailable={update.MaxUnavailable} order={UpdateStrategy.Word(update.Order)} " +
                $"minReadySeconds={update.MinReadySeconds} progressDeadline={update.ProgressDeadline} onFailure={UpdateStrategy.Word(update.OnFailure)}");
        if (detail.Rollout is { } rollout)
            d.Field("Rollout", $"revision {rollout.Revision} {rollout.Phase}: {rollout.Message}" +
                (rollout.FailureReason is { } why ? $" (revision {rollout.FailedRevision} failed: {why})" : ""));
        d.Field("Generation", meta.Generation.ToString());
        d.Field("Created", meta.CreatedAt is { } created ? $"{created:u} ({Age.Since(created, context.Now)} ago)" : Age.Unknown);

        d.Blank();
        d.Section("Replicas", detail.Replicas.Count, () => ReplicaTable.OfService(detail.Replicas, context.Now));
        d.Blank();
        d.Events(detail.Events);
    }

    /// <summary>Quoted only when a word holds a space, so the line can be pasted back into a shell.</summary>
    private static string Words(List<string>? words) =>
        words is null ? Cells.None : string.Join(" ", words.Select(w => w.Contains(' ') || w.Length == 0 ? $"\"{w}\"" : w));
}
