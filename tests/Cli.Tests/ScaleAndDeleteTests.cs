using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class ScaleAndDeleteTests
{
    private static ApplyResult Result(string name, string action, string ns = "default") =>
        new() { Kind = "Service", Namespace = ns, Name = name, Action = action };

    [Fact]
    public async Task Scale_puts_the_replica_count_and_confirms()
    {
        var api = new FakeApi().Expect(HttpMethod.Put, "/api/v1/namespaces/team-a/services/web/scale", Result("web", ApplyActions.Configured, "team-a"),
            body: new ScaleRequest { Replicas = 5 });

        var run = await Orc.RunAsync(api, "scale", "service", "web", "--replicas", "5", "-n", "team-a");

        Assert.Equal((0, "service/web scaled to 5\n"), (run.ExitCode, run.Out));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Scale_below_zero_shows_the_servers_message()
    {
        var api = new FakeApi().ExpectError(HttpMethod.Put, "/api/v1/namespaces/default/services/web/scale", HttpStatusCode.BadRequest,
            "replicas must be >= 0, got -1");

        var run = await Orc.RunAsync(api, "scale", "svc", "web", "--replicas", "-1");

        Assert.Equal((1, "", "error: replicas must be >= 0, got -1\n"), (run.ExitCode, run.Out, run.Err));
    }

    [Fact]
    public async Task Scale_of_an_unknown_service_names_it()
    {
        var api = new FakeApi().ExpectError(HttpMethod.Put, "/api/v1/namespaces/default/services/nope/scale", HttpStatusCode.NotFound, "x");

        var run = await Orc.RunAsync(api, "scale", "service", "nope", "--replicas", "1");

        Assert.Equal((1, "error: service \"default/nope\" not found\n"), (run.ExitCode, run.Err));
    }

    [Fact]
    public async Task Delete_by_name_confirms()
    {
        var api = new FakeApi().Expect(HttpMethod.Delete, "/api/v1/namespaces/default/services/web", Result("web", ApplyActions.Deleted));

        var run = await Orc.RunAsync(api, "delete", "service", "web");

        Assert.Equal((0, "service/web deleted\n"), (run.ExitCode, run.Out));
    }

    [Fact]
    public async Task Delete_by_name_of_an_unknown_service_fails()
    {
        var api = new FakeApi().ExpectError(HttpMethod.Delete, "/api/v1/namespaces/team-a/services/web", HttpStatusCode.NotFound, "x");

        var run = await Orc.RunAsync(api, "delete", "svc", "web", "-n", "team-a");

        Assert.Equal((1, "", "error: service \"team-a/web\" not found\n"), (run.ExitCode, run.Out, run.Err));
    }

    [Fact]
    public async Task Delete_by_file_reports_each_object_and_succeeds_when_some_are_gone()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("orc-delete-").FullName, "app.yaml");
        File.WriteAllText(path, "two services");
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/delete",
            new ApplyResponse { Results = [Result("web", ApplyActions.Deleted), Result("api", ApplyActions.NotFound)] },
            body: new ApplyRequest { Files = [new ManifestFile { Name = path, Content = "two services" }] });

        var run = await Orc.RunAsync(api, "delete", "-f", path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["service/web deleted", "service/api not found"], run.OutLines);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
