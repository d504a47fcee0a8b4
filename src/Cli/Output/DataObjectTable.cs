using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

/// <summary>Secrets and configs as `orc get` lists them: names, keys, sizes and age; never a value.</summary>
public static class DataObjectTable
{
    public static Table Of(IEnumerable<DataObjectView> objects, bool wide, DateTimeOffset now)
    {
        var table = new Table("NAMESPACE", "NAME", "KEYS", "SIZE", "AGE");
        foreach (var o in objects)
            table.Add(o.Metadata.Namespace, o.Metadata.Name, o.Keys.Count == 0 ? Cells.None : string.Join(",", o.Keys.Select(k => k.Name)),
                ManifestLimits.Size(o.TotalBytes), Age.Since(o.Metadata.CreatedAt, now));
        return table;
    }

    /// <summary>One row per key, for describe.</summary>
    public static Table Keys(IEnumerable<DataItem> items)
    {
        var table = new Table("KEY", "SIZE");
        foreach (var item in items) table.Add(item.Name, ManifestLimits.Size(item.Bytes));
        return table;
    }
}
