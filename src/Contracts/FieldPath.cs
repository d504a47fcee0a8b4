namespace Orchestrator.Contracts;

/// <summary>Field paths as errors show them: <c>spec.ports[0].containerPort</c>, <c>metadata.labels["example.com/tier"]</c>.</summary>
internal static class FieldPath
{
    public static string Field(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    /// <summary>A key of a user's map (labels, env): dotted when it reads as a plain word, bracketed and quoted otherwise.</summary>
    public static string Key(string parent, string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? Field(parent, key)
            : $"{parent}[{YamlScalars.Quote(key)}]";
}
