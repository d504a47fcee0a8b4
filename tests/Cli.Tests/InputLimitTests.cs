using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>`orc apply` checks the API's input limits before it sends anything (docs/security.md, "Input limits").</summary>
[Trait("Category", "Unit")]
public sealed class InputLimitTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("orc-limits-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private const string Service = "apiVersion: orchestrator/v1\nkind: Service\nmetadata: {name: web}\nspec: {image: local/web:1}\n";

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n---\n")]
    public async Task A_file_without_objects_exits_1_with_no_objects_in_FILE_and_sends_nothing(string content)
    {
        var path = Write("empty.yaml", content);
        var api = new FakeApi();

        var run = await Orc.RunAsync(api, "apply", "-f", path);

        Assert.Equal((1, "", $"error: no objects in {path}\n"), (run.ExitCode, run.Out, run.Err));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task A_request_over_4_MiB_is_refused_before_sending_naming_the_largest_file()
    {
        var small = Write("a.yaml", Service);
        var big = Write("b.yaml", Service + "  # " + new string('x', 9_000_000) + "\n");
        var api = new FakeApi();

        var run = await Orc.RunAsync(api, "apply", "-f", small, "-f", big);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: {big}: the request would be 8.6 MiB, more than the 4 MiB the API accepts; nothing was sent", run.Err);
    }

    [Fact]
    public async Task Nesting_past_the_limit_is_refused_with_its_location_before_sending()
    {
        var path = Write("deep.yaml", new string('[', 100_000));
        var api = new FakeApi();

        var run = await Orc.RunAsync(api, "delete", "-f", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {path} breaks an input limit; nothing was sent\n{path}:1:65: nested more than 64 levels deep; a manifest needs far fewer\n", run.Err);
    }

    [Fact]
    public async Task More_than_500_objects_across_files_are_refused_before_sending()
    {
        var part = string.Join("---\n", Enumerable.Repeat(Service, 300));
        var a = Write("a.yaml", part);
        var b = Write("b.yaml", part);

        var run = await Orc.RunAsync(new FakeApi(), "apply", "-f", a, "-f", b);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{b}:", run.Err);
        Assert.Contains("more than 500 objects in one apply", run.Err);
    }

    [Fact]
    public async Task A_file_within_every_limit_is_sent()
    {
        var path = Write("web.yaml", Service);
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/apply", new ApplyResponse
        {
            Results = [new ApplyResult { Kind = "Service", Namespace = "default", Name = "web", Action = "created" }],
        });

        var run = await Orc.RunAsync(api, "apply", "-f", path);

        Assert.Equal(0, run.ExitCode);
        api.AssertAllAnswered();
    }
}
