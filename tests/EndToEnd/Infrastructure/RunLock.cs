namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// A lock file per test cluster, held open exclusively for as long as the cluster lives; .NET takes an advisory
/// lock (flock) for FileShare.None, which another process sees and which the kernel drops when the process dies.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    private static string PathOf(string runId) => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"orchestrator-{runId}.lock");

    public static RunLock Take(string runId) =>
        new(new FileStream(PathOf(runId), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));

    /// <summary>True while some live process holds the run's lock.</summary>
    public static bool IsHeld(string runId)
    {
        var path = PathOf(runId);
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        try { File.Delete(_file.Name); } catch (IOException) { }
    }
}
