using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

public static class NodeTable
{
    public static Table Of(IEnumerable<NodeInfo> nodes, bool wide, DateTimeOffset now)
    {
        string[] headers = ["NAME", "STATE", "CPU", "MEMORY", "LABELS", "HEARTBEAT", "AGE"];
        var table = new Table(wide ? [.. headers, "ADDRESS", "VERSION"] : headers);
        foreach (var node in nodes)
        {
            string[] cells =
            [
                node.Name, Cells.NodeState(node),
                Units.FormatCpu(node.Capacity.MilliCpu), Cells.ApproximateMemory(node.Capacity.MemoryBytes),
                Cells.Labels(node.Labels), Age.Since(node.LastHeartbeat, now), Age.Since(node.RegisteredAt, now),
            ];
            table.Add(wide ? [.. cells, Cells.Text(node.Address), Cells.Text(node.AgentVersion)] : cells);
        }
        return table;
    }
}
