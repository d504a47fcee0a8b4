using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

public static class ServiceTable
{
    public static Table Of(IEnumerable<ServiceView> services, bool wide, DateTimeOffset now)
    {
        string[] headers = ["NAMESPACE", "NAME", "IMAGE", "DESIRED", "RUNNING", "READY", "PENDING", "AGE"];
        var table = new Table(wide ? [.. headers, "PORTS", "PENDING REASON"] : headers);
        foreach (var view in services)
        {
            var (service, status) = (view.Service, view.Status);
            string[] cells =
            [
                service.Metadata.Namespace, service.Metadata.Name, service.Spec.Image,
                status.Desired.ToString(), status.Running.ToString(), status.Ready.ToString(), status.Pending.ToString(),
                Age.Since(service.Metadata.CreatedAt, now),
            ];
            table.Add(wide ? [.. cells, Cells.SpecPorts(service.Spec.Ports), Cells.Text(status.PendingReason)] : cells);
        }
        return table;
    }
}
