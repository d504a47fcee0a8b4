using System.Text.RegularExpressions;

namespace Orchestrator.Contracts.Tests;

/// <summary>docs/compat.md against the translators: every key they know is in its table with its outcome, and every row is a key they know.</summary>
[Trait("Category", "Unit")]
public partial class CompatTableTests
{
    [Fact]
    public void Every_row_of_docs_compat_is_a_key_the_translators_know_with_the_same_outcome_and_back()
    {
        var documented = new List<string>();
        string? table = null;
        foreach (var line in File.ReadLines(Path.Combine(ManifestFiles.RepositoryRoot(), "docs/compat.md")))
        {
            if (Heading().Match(line) is { Success: true } heading) table = heading.Groups[1].Value;
            else if (table is not null && Row().Match(line) is { Success: true } row) documented.Add($"{table} | {row.Groups[1].Value} | {row.Groups[2].Value}");
        }
        var known = CompatKeys.All().Select(k => $"{k.Table} | {k.Key} | {k.Outcome.ToString().ToLowerInvariant()}").ToList();

        Assert.Empty(known.Except(documented));
        Assert.Empty(documented.Except(known));
        Assert.Equal(documented.Count, documented.Distinct().Count());
    }

    [GeneratedRegex(@"^### `([^`]+)`$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\| `([^`]+)` \| (\w+) \|")]
    private static partial Regex Row();
}
