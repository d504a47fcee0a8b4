namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>Where the repository and the built programs under test are.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>"release" or "debug": the configuration this test assembly was built in, so the programs match it.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;

    public static string Program(string project, string assembly)
    {
        var path = Path.Combine(Root, "artifacts", "bin", project, Configuration, assembly);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: build the solution first (dotnet build -c {Configuration} Orchestrator.sln)");
        return path;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Orchestrator.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Orchestrator.sln not found above " + AppContext.BaseDirectory);
    }
}
