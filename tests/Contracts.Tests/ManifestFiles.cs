namespace Orchestrator.Contracts.Tests;

/// <summary>Manifests on disk, read the way the CLI reads a folder: every *.yaml below it, in a stable order.</summary>
internal static class ManifestFiles
{
    public static List<ManifestFile> Folder(string folder) =>
        Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => new ManifestFile { Name = Path.GetRelativePath(folder, path), Content = File.ReadAllText(path) })
            .ToList();

    public static ManifestFile Fixture(string name) =>
        new() { Name = name, Content = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)) };

    /// <summary>The repository root: the folder holding Orchestrator.sln, above the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Orchestrator.sln above {AppContext.BaseDirectory}");
    }
}
