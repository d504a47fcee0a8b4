using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

public static class ReplicaTable
{
    /// <summary>`orc get replicas`: every replica with where it runs and whether it is ready for traffic.</summary>
    public static Table Of(IEnumerable<ReplicaView> replicas, bool wide, DateTimeOffset now)
    {
        string[] headers = ["NAMESPACE", "SERVICE", "REPLICA", "NODE", "STATE", "READY", "CONTAINER", "PORTS", "AGE"];
        var table = new Table(wide ? [.. headers, "IP", "RESTARTS", "MESSAGE"] : [.. headers, "REASON"]);
        foreach (var view in replicas)
        {
            var (replica, status) = (view.Replica, view.Status);
            string[] cells =
            [
                replica.Namespace, replica.Service, replica.ContainerName, replica.Node, HealthCells.State(view, now), HealthCells.Ready(status),
                Cells.Container(status), Cells.Ports(status), Age.Since(replica.CreatedAt, now),
            ];
            table.Add(wide ? [.. cells, status?.Ip ?? "<none>", Cells.Restarts(status), Cells.Text(status?.Message)] : [.. cells, ReplicaReasons.Problem(status) ?? ""]);
        }
        return table;
    }

    /// <summary>`orc describe service`: the service is known, so the row says how each replica fares and why it is where it is.</summary>
    public static Table OfService(IEnumerable<ReplicaView> replicas, DateTimeOffset now)
    {
        var table = new Table("REPLICA", "NODE", "STATE", "CONTAINER", "EXIT", "RESTARTS", "PORTS", "AGE", "PLACEMENT");
        foreach (var view in replicas)
        {
            var (replica, status) = (view.Replica, view.Status);
            table.Add(replica.ContainerName, replica.Node, HealthCells.State(view, now), Cells.Container(status), Cells.Exit(status),
                Cells.Restarts(status), Cells.Ports(status), Age.Since(replica.CreatedAt, now), Cells.Text(replica.PlacementReason));
        }
        return table;
    }
}
