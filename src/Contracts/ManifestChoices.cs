using YamlDotNet.RepresentationModel;

namespace Orchestrator.Contracts;

/// <summary>Readings the placement block needs beyond <see cref="ManifestReader"/>'s own: fixed words and lists of mappings.</summary>
internal static class ManifestChoices
{
    /// <summary>
    /// One of <paramref name="allowed"/>, spelt exactly (Kubernetes' operators and effects are case-sensitive);
    /// the message lists every word and suggests the closest one.
    /// </summary>
    public static string? Choice(this ManifestReader r, YamlNode node, string path, IReadOnlyList<string> allowed)
    {
        if (r.Text(node, path) is not { } text) return null;
        if (allowed.Contains(text)) return text;
        r.Error(node, path, $"must be one of {string.Join(", ", allowed)}, got {YamlScalars.Quote(text)}{DidYouMean.Hint(text, allowed)}");
        return null;
    }

    /// <summary>A list of mappings with the given fields, each read by <paramref name="read"/>; items with errors are left out.</summary>
    public static List<T> Items<T>(this ManifestReader r, YamlNode node, string path, string items, IReadOnlyList<string> fields,
        Func<FieldSet, T?> read) where T : class
    {
        var result = new List<T>();
        if (r.List(node, path, items) is not { } list) return result;
        for (var i = 0; i < list.Children.Count; i++)
            if (r.Fields(list.Children[i], FieldPath.Index(path, i), fields) is { } f && read(f) is { } item) result.Add(item);
        return result;
    }

    /// <summary>A map of label keys to values (a node selector, an affinity term's label selector).</summary>
    public static Dictionary<string, string> Labels(this ManifestReader r, YamlNode node, string path) =>
        r.Map(node, path, "label keys to values") is { } map && r.AtMost(map, path, map.Children.Count, ManifestLimits.MaxLabels, "labels")
            ? r.TextMap(map, path, TextRule.LabelKey, TextRule.LabelValue)
            : new Dictionary<string, string>();
}
