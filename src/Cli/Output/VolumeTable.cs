using System.Globalization;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

/// <summary>Volumes as `orc get volumes` lists them; a node that did not answer shows its volumes with size and users unknown.</summary>
public static class VolumeTable
{
    public static Table Of(IEnumerable<VolumeView> volumes, bool wide, DateTimeOffset now)
    {
        var table = new Table("NAME", "NAMESPACE", "SERVICE", "KIND", "SLOT", "NODE", "SIZE", "IN USE BY");
        foreach (var v in volumes)
            table.Add(v.Name, v.Namespace, v.Service, v.Kind, v.Slot?.ToString(CultureInfo.InvariantCulture) ?? Cells.None, v.Node,
                v.SizeBytes is { } size ? ManifestLimits.Size(size) : "unknown",
                !v.Reported ? "unknown (node not answering)" : v.UsedBy.Count == 0 ? Cells.None : string.Join(",", v.UsedBy));
        return table;
    }
}
