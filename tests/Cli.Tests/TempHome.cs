namespace Orchestrator.Orc.Tests;

/// <summary>A home folder of its own for one test, where ~/.orc/config.json may be written.</summary>
public sealed class TempHome : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("orc-home-").FullName;

    public string ConfigFile => System.IO.Path.Combine(Path, ".orc", "config.json");

    public void Config(string json)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Path, ".orc"));
        File.WriteAllText(ConfigFile, json);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
