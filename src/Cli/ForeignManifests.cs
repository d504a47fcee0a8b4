using Orchestrator.Contracts;

namespace Orchestrator.Orc;

/// <summary>
/// Compose files and Kubernetes manifests among the files of -f (docs/compat.md): translated here, where the files a
/// Compose file names (secrets, configs) can be read, and checked with the server's own loader, so that an error names
/// the file:line:column as written and nothing is sent; then sent in our manifest form. Our own files go as they are.
/// </summary>
public static class ForeignManifests
{
    /// <param name="warnings">Where the unsupported keys skipped with --ignore-unsupported are listed, each once; null: not listed.</param>
    public static List<ManifestFile> Translate(List<ManifestFile> files, bool ignoreUnsupported, TextWriter? warnings)
    {
        var foreign = files.Where(ManifestTranslation.IsForeign).ToList();
        if (foreign.Count == 0) return files;
        var options = new TranslationOptions { IgnoreUnsupported = ignoreUnsupported, ReadFile = ReadBeside };
        var loaded = ManifestLoader.Load(foreign, options);
        if (warnings is not null)
            foreach (var warning in loaded.Warnings.Select(w => w.ToString()).Distinct())
                warnings.WriteLine($"warning: {warning}");
        if (!loaded.Ok)
            throw new CliException($"{loaded.Errors.Count} error(s) in the manifests; nothing was sent", loaded.Errors);
        return files.Select(f => foreign.Contains(f) ? ManifestTranslation.OwnForm(f, options) : f).ToList();
    }

    /// <summary>A file named in a Compose file, relative to the Compose file's folder (to the working folder for stdin).</summary>
    private static FileContent ReadBeside(string composeFile, string path)
    {
        var folder = composeFile == "<stdin>" ? "." : Path.GetDirectoryName(composeFile) ?? ".";
        var full = Path.Combine(folder, path);
        var info = new FileInfo(full);
        if (!info.Exists) return new FileContent(null, $"there is no file {full}");
        if (info.Length > ManifestLimits.MaxDataBytes)
            return new FileContent(null, $"{full} is {ManifestLimits.Size(info.Length)}, more than the {ManifestLimits.Size(ManifestLimits.MaxDataBytes)} one secret or config may hold");
        return new FileContent(File.ReadAllBytes(full), null);
    }
}
