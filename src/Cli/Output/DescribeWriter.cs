using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

/// <summary>kubectl describe's layout: "Label:" and its value in aligned columns, then titled tables indented under them.</summary>
public sealed class DescribeWriter(TextWriter output, DateTimeOffset now)
{
    private const int LabelWidth = 14;

    public void Field(string label, string value) => output.WriteLine($"{label + ":",-LabelWidth}{value}");

    /// <summary>kubectl lists labels one a line, the first beside the label and the rest under it.</summary>
    public void Fields(string label, IEnumerable<string> values)
    {
        var lines = values.ToList();
        if (lines.Count == 0) lines.Add(Cells.None);
        Field(label, lines[0]);
        foreach (var line in lines.Skip(1)) output.WriteLine(new string(' ', LabelWidth) + line);
    }

    public void Section(string title, int count, Func<Table> table)
    {
        if (count == 0)
        {
            Field(title, Cells.None);
            return;
        }
        output.WriteLine($"{title}:");
        table().Write(output, indent: "  ");
    }

    public void Events(IReadOnlyCollection<ClusterEvent> events) => Section("Events", events.Count, () =>
    {
        var table = new Table("AGE", "TYPE", "REASON", "MESSAGE");
        foreach (var e in events) table.Add(Age.Since(e.Time, now), e.Type, e.Reason, e.Message);
        return table;
    });

    public void Blank() => output.WriteLine();
}
