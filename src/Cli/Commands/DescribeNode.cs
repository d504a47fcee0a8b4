using System.CommandLine;
using Orchestrator.Contracts;
using Orchestrator.Orc.Output;
using Orchestrator.Orc.Parsing;

namespace Orchestrator.Orc.Commands;

/// <summary>
/// `orc describe node NAME`: what the node offers, what its replicas reserve (their requests, as the scheduler counts)
/// against what they use (the agent's stats), its taints and conditions, what runs there and what happened to it.
/// </summary>
public sealed class DescribeNode(CliContext context)
{
    public Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "The node's name" };
        var command = ResourceType.Nodes.Command(ResourceType.Nodes.Singular, "Show a node: capacity, reserved and used, taints, conditions, replicas, events");
        command.Add(name);
        command.SetAction(async (parse, ct) =>
        {
            var nodeName = parse.GetValue(name)!;
            var api = context.Api(parse);
            var overview = await api.OverviewAsync(ct);
            var node = overview.Nodes.FirstOrDefault(n => n.Node.Name == nodeName) ?? throw new CliException($"node \"{nodeName}\" not found");
            // Use is asked of the agent; a node that does not answer still has everything else worth showing.
            var top = await api.TopNodesAsync(ct);
            var events = await api.ListEventsAsync(null, null, ct);
            Write(node, top, events);
            return 0;
        });
        return command;
    }

    private void Write(NodeOverview overview, TopNodes top, IEnumerable<ClusterEvent> events)
    {
        var (node, allocated) = (overview.Node, overview.Allocated);
        var d = new DescribeWriter(context.Out, context.Now);
        d.Field("Name", node.Name);
        d.Fields("Labels", Cells.Pairs(node.Labels));
        d.Fields("Taints", node.Taints.Select(t => t.ToString()));
        d.Field("Address", Cells.Text(node.Address));
        d.Field("Agent", $"{Cells.Text(node.AgentVersion)} at {Cells.Text(node.AgentUrl)}");
        d.Field("Capacity", $"cpu={Units.FormatCpu(node.Capacity.MilliCpu)} memory={Cells.ApproximateMemory(node.Capacity.MemoryBytes)}");
        d.Field("Reserved", $"cpu={Units.FormatCpu(allocated.MilliCpu)} ({Percent(allocated.MilliCpu, node.Capacity.MilliCpu)}) " +
            $"memory={Cells.ApproximateMemory(allocated.MemoryBytes)} ({Percent(allocated.MemoryBytes, node.Capacity.MemoryBytes)})  (the replicas' requests)");
        var use = top.Nodes.FirstOrDefault(n => n.Name == node.Name);
        var unreachable = top.Unreachable.FirstOrDefault(u => u.Node == node.Name);
        d.Field("In use", use is { MilliCpu: { } cpu, MemoryBytes: { } memory }
            ? $"cpu={TopCommand.Cores(cpu)} ({Percent(cpu, node.Capacity.MilliCpu)}) memory={TopCommand.Mebibytes(memory)} ({Percent(memory, node.Capacity.MemoryBytes)})  (the engine's stats)"
            : $"<unknown>{(unreachable is null ? "" : $" ({unreachable.Error})")}");
        d.Field("Registered", $"{node.RegisteredAt:u} ({Age.Since(node.RegisteredAt, context.Now)} ago)");

        context.Out.WriteLine();
        d.Section("Conditions", 1, () => new Table("TYPE", "STATUS", "SINCE", "MESSAGE")
            .Add("Ready", node.State.ToString(), Age.Since(node.StateSince, context.Now), $"last heartbeat {Age.Since(node.LastHeartbeat, context.Now)} ago")
            .Add("Schedulable", node.Cordoned ? "False" : "True", "", node.Cordoned ? "cordoned: takes no new replica" : "takes new replicas")
            .Add("Draining", node.Draining ? "True" : "False", "", node.Draining ? "its replicas move elsewhere" : ""));
        context.Out.WriteLine();
        d.Section("Replicas", overview.Replicas.Count, () =>
        {
            var table = new Table("NAMESPACE", "REPLICA", "STATE", "READY", "CPU", "MEMORY", "AGE");
            foreach (var r in overview.Replicas)
                table.Add(r.Replica.Namespace, r.Replica.ContainerName, HealthCells.State(r, context.Now), HealthCells.Ready(r.Status),
                    Units.FormatCpu(r.Replica.Container.MilliCpu), Units.FormatMemory(r.Replica.Container.MemoryBytes), Age.Since(r.Replica.CreatedAt, context.Now));
            return table;
        });
        context.Out.WriteLine();
        // The node's own events, and those of the replicas it holds.
        var replicaObjects = overview.Replicas.Select(r => $"Replica/{r.Replica.Namespace}/{r.Replica.Service}/{r.Replica.Id}").ToHashSet();
        d.Events(events.Where(e => e.Object == $"Node/{node.Name}" || replicaObjects.Contains(e.Object)).ToList());
    }

    private static string Percent(long part, long whole) =>
        whole > 0 ? $"{Math.Round(100.0 * part / whole).ToString(System.Globalization.CultureInfo.InvariantCulture)}%" : "<unknown>";
}
