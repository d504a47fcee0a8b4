using Orchestrator.Contracts;

namespace Orchestrator.Orc;

/// <summary>
/// Collects the manifest files named by -f. The CLI sends them raw: the server parses and validates,
/// so its errors point at the file name exactly as the user typed it.
/// </summary>
public static class ManifestReader
{
    public const string StdinPath = "-";
    private static readonly string[] Extensions = [".yaml", ".yml"];

    public static List<ManifestFile> Read(IEnumerable<string> paths, TextReader stdin)
    {
        var files = new List<ManifestFile>();
        foreach (var path in paths)
        {
            if (path == StdinPath) files.Add(new ManifestFile { Name = "<stdin>", Content = stdin.ReadToEnd() });
            else if (Directory.Exists(path)) files.AddRange(ReadFolder(path));
            else if (File.Exists(path)) files.Add(ReadFile(path));
            else throw new CliException($"the path \"{path}\" does not exist");
        }
        return files;
    }

    /// <summary>Only the folder itself, sorted by name, so that an apply is the same on every machine.</summary>
    private static IEnumerable<ManifestFile> ReadFolder(string folder)
    {
        var names = Directory.EnumerateFiles(folder)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => Extensions.Contains(Path.GetExtension(n), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0) throw new CliException($"the folder \"{folder}\" has no *.yaml or *.yml files");
        return names.Select(n => ReadFile(Path.Join(folder, n)));
    }

    private static ManifestFile ReadFile(string path) => new() { Name = path, Content = File.ReadAllText(path) };
}
