namespace Orchestrator.NodeAgent.Runtime;

/// <summary>
/// The bytes of a local volume's files, read from its mount point (the agent runs on the engine's machine, as root).
/// dockerd 20.10 gives sizes only through /system/df, which measures every image and container too; this measures one volume.
/// </summary>
public static class VolumeSize
{
    /// <summary>Stops counting after this many entries: a size is a hint, not a reason to walk a million files.</summary>
    public const int MaxEntries = 100_000;

    public static long? OnDisk(string? mountPoint)
    {
        if (string.IsNullOrEmpty(mountPoint) || !Directory.Exists(mountPoint)) return null;
        try
        {
            long total = 0;
            var seen = 0;
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
            foreach (var file in new DirectoryInfo(mountPoint).EnumerateFiles("*", options))
            {
                total += file.Length;
                if (++seen >= MaxEntries) break;
            }
            return total;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
