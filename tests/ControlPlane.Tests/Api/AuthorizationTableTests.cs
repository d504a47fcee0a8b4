using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.ControlPlane.Auth;
using Orchestrator.ControlPlane.Tests.Grains;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Api;

/// <summary>
/// The authorization table covers every route ASP.NET serves (and names none that does not exist), and
/// docs/security.md shows the same table.
/// </summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AuthorizationTableTests(EtcdServer etcd)
{
    [Fact]
    public async Task Every_route_has_exactly_one_row_and_every_row_a_route()
    {
        await using var cp = await InProcessControlPlane.StartAsync(etcd);
        var routes = cp.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => (Method: m, Pattern: AuthorizationTable.Normalize(e.RoutePattern.RawText ?? ""))))
            .Distinct().ToList();

        var missing = routes.Where(r => AuthorizationTable.Find(r.Method, r.Pattern) is null).Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.True(missing.Count == 0, "routes without a row in AuthorizationTable: " + string.Join(", ", missing));
        var stale = AuthorizationTable.Rules.Where(rule => !routes.Any(r => AuthorizationTable.Find(r.Method, r.Pattern) == rule)).Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.True(stale.Count == 0, "rows of AuthorizationTable for no route: " + string.Join(", ", stale));
    }

    [Fact]
    public void Docs_security_md_shows_the_table_of_the_code()
    {
        var doc = File.ReadAllLines(Path.Combine(RepoRoot(), "docs", "security.md"));
        var start = Array.FindIndex(doc, l => l.StartsWith("| method | route |", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/security.md has no route table (a line starting \"| method | route |\")");
        var shown = doc.Skip(start).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(AuthorizationTable.Markdown().ToList(), shown);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return dir.FullName;
        throw new InvalidOperationException("Orchestrator.sln not found above " + AppContext.BaseDirectory);
    }
}
