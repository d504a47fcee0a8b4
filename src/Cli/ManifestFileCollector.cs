using Orchestrator.Contracts;

namespace Orchestrator.Orc;

/// <summary>
/// Collects the manifest files named by -f. The CLI sends them raw: the server parses and validates,
/// so its errors point at the file name exactly as the user typed it. The server's input limits
/// (<see cref="ManifestLimits"/>) are checked here too, so that what it would refuse is never sent.
/// </summary>
public static class ManifestFileCollector
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
        CheckLimits(files);
        return files;
    }

    private static void CheckLimits(List<ManifestFile> files)
    {
        var objects = 0;
        foreach (var file in files)
        {
            var scan = YamlPreflight.Scan(file.Content, file.Name, objects);
            if (scan.Error is { } error) throw new CliException($"{file.Name} breaks an input limit; nothing was sent", [error]);
            if (scan.Objects == 0) throw new CliException($"no objects in {file.Name}");
            objects += scan.Objects;
        }
        var size = Json.SerializeToUtf8Bytes(new ApplyRequest { Files = files }).LongLength;
        if (size <= ManifestLimits.MaxRequestBytes) return;
        var largest = files.MaxBy(f => f.Content.Length)!;
        throw new CliException($"{largest.Name}: the request would be {ManifestLimits.Size(size)}, more than the " +
            $"{ManifestLimits.Size(ManifestLimits.MaxRequestBytes)} the API accepts; nothing was sent (apply fewer or smaller files)");
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
