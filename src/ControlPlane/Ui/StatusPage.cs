using System.Collections.Frozen;
using Orleans.Dashboard;

namespace Orchestrator.ControlPlane.Ui;

/// <summary>
/// The status page at /ui (index.html, ui.css, ui.js embedded in this assembly; the page polls GET /api/v1/overview)
/// and the Orleans dashboard at /orleans-dashboard/ (docs/ui.md).
/// </summary>
public static class StatusPage
{
    public const string Path = "/ui";
    public const string OrleansDashboardPath = "/orleans-dashboard";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    }.ToFrozenDictionary();

    // Read once: the files are small and never change while the process runs.
    private static readonly FrozenDictionary<string, byte[]> Files = LoadFiles();

    /// <summary>Adds the dashboard's grains and services to the silo; every silo of the cluster needs it.</summary>
    public static ISiloBuilder AddOrleansDashboard(this ISiloBuilder silo) =>
        silo.AddDashboard(o => o.HideTrace = true);

    public static void MapStatusPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, () => Serve("index.html"));
        app.MapGet(Path + "/{file}", (string file) => Serve(file));
        app.MapOrleansDashboard(OrleansDashboardPath);
    }

    private static IResult Serve(string file)
    {
        if (!Files.TryGetValue(file, out var content))
            return Api.ApiResults.NotFound($"no file \"{file}\" in the status page (there are: {string.Join(", ", Files.Keys.Order())})");
        return Results.Bytes(content, ContentTypes[System.IO.Path.GetExtension(file)]);
    }

    private static FrozenDictionary<string, byte[]> LoadFiles()
    {
        var assembly = typeof(StatusPage).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("ui/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name["ui/".Length..]] = copy.ToArray();
        }
        return files.ToFrozenDictionary();
    }
}
