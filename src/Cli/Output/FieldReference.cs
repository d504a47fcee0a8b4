using System.Text;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Output;

/// <summary>The manifest reference as text: one field for `orc explain`, every kind as Markdown for docs/manifest.md.</summary>
public static class FieldReference
{
    /// <summary>kubectl explain's shape: KIND, FIELD, DESCRIPTION, then the fields one level down (or the whole tree).</summary>
    public static string Explain(FieldDoc kind, IReadOnlyList<string> path, FieldDoc field, bool recursive)
    {
        var text = new StringBuilder();
        text.AppendLine($"KIND:     {kind.Name}");
        text.AppendLine($"VERSION:  {ObjectKinds.ApiVersion}");
        if (path.Count > 0) text.AppendLine($"FIELD:    {string.Join('.', path)} <{field.Type}>{(field.Required ? " -required-" : "")}");
        text.AppendLine();
        text.AppendLine("DESCRIPTION:");
        text.AppendLine($"  {field.Description}");
        if (!field.HasFields) return text.ToString();
        text.AppendLine();
        text.AppendLine("FIELDS:");
        if (recursive) Tree(field.Fields, 1, text);
        else
        {
            foreach (var child in field.Fields)
            {
                text.AppendLine($"  {child.Name}\t<{child.Type}>{(child.Required ? " -required-" : "")}");
                text.AppendLine($"    {child.Description}");
                text.AppendLine();
            }
        }
        return text.ToString().TrimEnd() + Environment.NewLine;
    }

    private static void Tree(IReadOnlyList<FieldDoc> fields, int depth, StringBuilder text)
    {
        foreach (var field in fields)
        {
            text.AppendLine($"{new string(' ', depth * 2)}{field.Name}\t<{field.Type}>{(field.Required ? " -required-" : "")}");
            Tree(field.Fields, depth + 1, text);
        }
    }

    /// <summary>docs/manifest.md: every kind, a table per mapping, in the order a manifest is written.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Manifest reference");
        text.AppendLine();
        text.AppendLine("Every kind and field a manifest may hold, made by `orc explain --reference` from the same model `orc explain`");
        text.AppendLine("prints; a test compares this file with it, and another test asks the validator, at every mapping below, which");
        text.AppendLine("fields it allows: the two always agree. Errors name the file, line, column and field (src/Contracts/README.md);");
        text.AppendLine("input limits are in docs/security.md. Explore it in a terminal with `orc explain service.spec.updateStrategy`.");
        foreach (var kind in ManifestSchema.Kinds)
        {
            text.AppendLine();
            text.AppendLine($"## {kind.Name}");
            text.AppendLine();
            text.AppendLine(kind.Description);
            Section(kind, kind.Name.ToLowerInvariant(), text);
        }
        return text.ToString();
    }

    private static void Section(FieldDoc field, string path, StringBuilder text)
    {
        text.AppendLine();
        text.AppendLine($"### `{path}`");
        text.AppendLine();
        text.AppendLine("| field | type | required | description |");
        text.AppendLine("|---|---|---|---|");
        foreach (var child in field.Fields)
            text.AppendLine($"| `{child.Name}` | {child.Type.Replace("|", "\\|")} | {(child.Required ? "yes" : "")} | {child.Description.Replace("|", "\\|")} |");
        foreach (var child in field.Fields.Where(c => c.HasFields)) Section(child, $"{path}.{child.Name}", text);
    }
}
