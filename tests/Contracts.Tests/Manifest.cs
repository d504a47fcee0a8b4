namespace Orchestrator.Contracts.Tests;

/// <summary>Small manifests for tests, with line numbers a reader can count.</summary>
internal static class Manifest
{
    /// <summary>A valid Service document; lines added by <see cref="WithSpec"/> start at line 7.</summary>
    public const string Header = """
        apiVersion: orchestrator/v1
        kind: Service
        metadata:
          name: web
        spec:
          image: local/web:1
        """;

    /// <summary>The header with more lines under spec (indent them by two spaces).</summary>
    public static string WithSpec(params string[] specLines) => Header + "\n" + string.Join("\n", specLines);

    /// <summary>A minimal valid Service document with the given name.</summary>
    public static string Service(string name, string ns = "default") => Header.Replace("name: web", $"name: {name}\n  namespace: {ns}");

    public static LoadResult Load(string yaml, string file = "web.yaml") => Load((file, yaml));

    public static LoadResult Load(params (string Name, string Content)[] files) =>
        ManifestLoader.Load(files.Select(f => new ManifestFile { Name = f.Name, Content = f.Content }));

    public static string Lines(params string[] lines) => string.Join("\n", lines);
}
