using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;
using Orchestrator.Orc.Parsing;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc describe replica NAME|ID` (or `pod`, `po`): one replica, named as `get replicas` names it (web.1.px9r2x), by its id,
/// or by an unambiguous prefix of either: where it is and why, its container's state, and what happened to it.
/// </summary>
public sealed class DescribeReplica(CliContext context)
{
    public Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "The replica's name (web.1.px9r2x), its id, or an unambiguous prefix of either" };
        var ns = CommonOptions.Namespace();
        var command = ResourceType.Replicas.Command(ResourceType.Replicas.Singular, "Show a replica: its node and placement reason, container state, events");
        command.Add(name);
        command.Add(ns);
        command.SetAction(async (parse, ct) =>
        {
            var (wanted, nsName) = (parse.GetValue(name)!, parse.GetValue(ns)!);
            var api = context.Api(parse);
            var view = Find(await api.ListReplicasAsync(nsName, null, ct), nsName, wanted);
            var r = view.Replica;
            var events = (await api.ListEventsAsync(r.Namespace, r.Service, ct))
                .Where(e => e.Object == $"Replica/{r.Namespace}/{r.Service}/{r.Id}" || e.Message.Contains(r.Id, StringComparison.Ordinal)).ToList();
            Write(view, events);
            return 0;
        });
        return command;
    }

    private static ReplicaView Find(IReadOnlyList<ReplicaView> replicas, string ns, string wanted)
    {
        var exact = replicas.Where(v => v.Replica.ContainerName == wanted || v.Replica.Id == wanted).ToList();
        if (exact.Count == 1) return exact[0];
        var byPrefix = replicas.Where(v => v.Replica.ContainerName.StartsWith(wanted, StringComparison.Ordinal)
            || v.Replica.Id.StartsWith(wanted, StringComparison.Ordinal)).ToList();
        return byPrefix.Count switch
        {
            1 => byPrefix[0],
            0 => throw new CliException($"replica \"{ns}/{wanted}\" not found (`orc get replicas -n {ns}` lists them)"),
            _ => throw new CliException($"\"{wanted}\" could be {string.Join(", ", byPrefix.Select(v => v.Replica.ContainerName).Order(StringComparer.Ordinal))}; say which"),
        };
    }

    private void Write(ReplicaView view, IReadOnlyCollection<ClusterEvent> events)
    {
        var (r, status) = (view.Replica, view.Status);
        var d = new DescribeWriter(context.Out, context.Now);
        d.Field("Name", r.ContainerName);
        d.Field("Namespace", r.Namespace);
        d.Field("Service", $"{r.Service} (slot {r.Slot}, generation {r.Generation})");
        d.Field("Node", r.Node);
        d.Field("Placement", Cells.Text(r.PlacementReason));
        d.Field("Image", r.Container.Image);
        d.Field("State", HealthCells.State(view, context.Now) + (r.Terminating ? $", terminating: {r.TerminationReason ?? "replaced"}" : ""));
        d.Field("Ready", HealthCells.Ready(status) + (status?.LastProbe is { } probe ? $" (last probe: {probe})" : ""));
        d.Field("Container", Cells.Container(status));
        d.Field("Ports", Cells.Ports(status));
        d.Field("Restarts", Cells.Restarts(status));
        if (status?.ExitCode is { } exit) d.Field("Exit code", exit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        d.Field("Message", Cells.Text(status?.Message));
        d.Field("Started", status?.StartedAt is { } started ? $"{started:u} ({Age.Since(started, context.Now)} ago)" : Cells.None);
        d.Field("Created", $"{r.CreatedAt:u} ({Age.Since(r.CreatedAt, context.Now)} ago)");
        context.Out.WriteLine();
        d.Events(events);
    }
}
