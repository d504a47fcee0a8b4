using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

/// <summary>`orc get endpoints`: each service's virtual IP, ports and the replica IPs connections go to (kubectl's ENDPOINTS column).</summary>
public static class EndpointsTable
{
    public static Table Of(IEnumerable<ServiceEndpoints> services, bool wide, DateTimeOffset now)
    {
        string[] headers = ["NAMESPACE", "NAME", "VIRTUAL-IP", "PORTS", "ENDPOINTS", "NOT-READY"];
        var table = new Table(wide ? [.. headers, "NODES"] : headers);
        foreach (var s in services)
        {
            var ports = s.Ports.Count == 0 ? "<none>" : string.Join(",", s.Ports.Select(p =>
                $"{p.ContainerPort}{(p.PublishedPort is { } pp ? $":{pp}" : "")}/{p.Protocol}"));
            var endpoints = s.Ready.Count == 0 ? "<none>" : string.Join(",", s.Ready.Select(e => e.Ip));
            string[] cells = [s.Namespace, s.Name, Cells.Text(s.VirtualIp), ports, endpoints, s.NotReady.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            table.Add(wide ? [.. cells, string.Join(",", s.Ready.Select(e => e.Node).Distinct())] : cells);
        }
        return table;
    }
}
