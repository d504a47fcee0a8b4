using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

public static class ServiceTable
{
    public static Table Of(IEnumerable<ServiceView> services, bool wide, DateTimeOffset now)
    {
        services = services.ToList();
        // RELEASE only when a listed service came from a chart, so that lists without releases stay as narrow as before.
        var releases = services.Any(v => Release(v.Service) is not null);
        string[] headers = releases
            ? ["NAMESPACE", "NAME", "RELEASE", "IMAGE", "DESIRED", "RUNNING", "READY", "PENDING", "AGE"]
            : ["NAMESPACE", "NAME", "IMAGE", "DESIRED", "RUNNING", "READY", "PENDING", "AGE"];
        // REASON last: it is the long one, and what keeps the service from running all its replicas (pending or failing).
        var table = new Table(wide ? [.. headers, "PORTS", "REASON"] : [.. headers, "REASON"]);
        foreach (var view in services)
        {
            var (service, status) = (view.Service, view.Status);
            string[] names = releases
                ? [service.Metadata.Namespace, service.Metadata.Name, Release(service) ?? "<none>"]
                : [service.Metadata.Namespace, service.Metadata.Name];
            string[] cells =
            [
                .. names, service.Spec.Image,
                status.Desired.ToString(), status.Running.ToString(), status.Ready.ToString(), status.Pending.ToString(),
                Age.Since(service.Metadata.CreatedAt, now),
            ];
            table.Add(wide ? [.. cells, Cells.SpecPorts(service.Spec.Ports), Reason(status)] : [.. cells, Reason(status)]);
        }
        return table;
    }

    private static string? Release(ServiceObject service) => service.Metadata.Labels.GetValueOrDefault(ReleaseLabels.Release);

    /// <summary>The server's one-line reason; from a server that does not compute it, the pending reason.</summary>
    private static string Reason(ServiceStatus status) => status.Reason ?? status.PendingReason ?? "";
}
