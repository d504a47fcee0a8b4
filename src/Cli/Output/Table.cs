namespace Orchestrator.Orc.Output;

/// <summary>
/// Columns aligned like kubectl's tabwriter: each as wide as its widest cell, three spaces apart,
/// and no padding after the last one so lines carry no trailing blanks.
/// </summary>
public sealed class Table(params string[] headers)
{
    private const string Gap = "   ";
    private readonly List<string[]> rows = [headers];

    public Table Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {headers.Length} columns");
        rows.Add(cells);
        return this;
    }

    public void Write(TextWriter output, string indent = "")
    {
        var widths = Enumerable.Range(0, headers.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            var padded = row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]));
            output.WriteLine(indent + string.Join(Gap, padded).TrimEnd());
        }
    }
}
