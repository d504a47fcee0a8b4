namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>Figures measured by end-to-end tests (recovery times and the like), appended where ./test.sh prints them.</summary>
public static class Measurements
{
    private static readonly object Gate = new();

    public static void Record(string line)
    {
        var dir = Path.Combine(Repo.Root, "artifacts", "test-results");
        Directory.CreateDirectory(dir);
        lock (Gate) File.AppendAllText(Path.Combine(dir, "measurements.txt"), $"{DateTimeOffset.UtcNow:u} {line}\n");
    }
}
