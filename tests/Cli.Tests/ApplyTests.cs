using System.Net;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class ApplyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("orc-apply-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static ApplyResponse Results(bool dryRun, params (string Name, string Action)[] results) => new()
    {
        DryRun = dryRun,
        Results = results.Select(r => new ApplyResult { Kind = "Service", Namespace = "default", Name = r.Name, Action = r.Action }).ToList(),
    };

    [Fact]
    public async Task A_file_is_sent_by_the_name_the_user_gave_with_its_raw_content()
    {
        var path = Write("web.yaml", "kind: Service\nmetadata:\n  name: web\n");
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/apply", Results(false, ("web", "created")),
            body: new ApplyRequest { Files = [new ManifestFile { Name = path, Content = "kind: Service\nmetadata:\n  name: web\n" }] });

        var run = await Orc.RunAsync(api, "apply", "-f", path);

        Assert.Equal((0, "service/web created\n", ""), (run.ExitCode, run.Out, run.Err));
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task A_folder_sends_its_yaml_files_sorted_and_skips_other_files_and_subfolders()
    {
        Write("b.yml", "b");
        Write("a.yaml", "a");
        Write("notes.txt", "not a manifest");
        Write("nested/c.yaml", "c");
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/apply", Results(false, ("a", "created"), ("b", "unchanged")),
            body: new ApplyRequest
            {
                Files = [new ManifestFile { Name = Path.Join(folder, "a.yaml"), Content = "a" }, new ManifestFile { Name = Path.Join(folder, "b.yml"), Content = "b" }],
            });

        var run = await Orc.RunAsync(api, "apply", "-f", folder);

        Assert.Equal(["service/a created", "service/b unchanged"], run.OutLines);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Several_paths_and_stdin_are_sent_in_the_order_given_with_dry_run()
    {
        var path = Write("web.yaml", "web");
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/apply", Results(true, ("web", "configured"), ("api", "created")),
            body: new ApplyRequest
            {
                DryRun = true,
                Files = [new ManifestFile { Name = path, Content = "web" }, new ManifestFile { Name = "<stdin>", Content = "from stdin" }],
            });

        var run = await Orc.RunAsync(api, Orc.Environment(stdin: "from stdin"), "apply", "-f", path, "-f", "-", "--dry-run");

        Assert.Equal(["service/web configured (dry run)", "service/api created (dry run)"], run.OutLines);
    }

    [Fact]
    public async Task Validation_errors_are_printed_one_a_line_with_file_and_line_and_exit_1()
    {
        var path = Write("web.yaml", "spec:\n  replicas: three\n");
        var api = new FakeApi().ExpectError(HttpMethod.Post, "/api/v1/apply", HttpStatusCode.BadRequest, "2 errors in the manifests, nothing applied",
            new ValidationError { File = path, Line = 2, Column = 13, Path = "spec.replicas", Message = "must be a whole number >= 0, got \"three\"" },
            new ValidationError { File = path, Line = 1, Column = 1, Path = "spec.image", Message = "is required" });

        var run = await Orc.RunAsync(api, "apply", "-f", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(
        [
            "error: 2 errors in the manifests, nothing applied",
            $"{path}:2:13 spec.replicas: must be a whole number >= 0, got \"three\"",
            $"{path}:1:1 spec.image: is required",
        ], run.ErrLines);
    }

    [Fact]
    public async Task A_missing_path_fails_before_anything_is_sent()
    {
        var api = new FakeApi();
        var missing = Path.Combine(folder, "nope.yaml");

        var run = await Orc.RunAsync(api, "apply", "-f", missing);

        Assert.Equal((1, $"error: the path \"{missing}\" does not exist\n"), (run.ExitCode, run.Err));
        Assert.Empty(api.Received);
    }

    [Fact]
    public async Task A_folder_without_manifests_is_an_error()
    {
        var run = await Orc.RunAsync(new FakeApi(), "apply", "-f", folder);

        Assert.Equal((1, $"error: the folder \"{folder}\" has no *.yaml or *.yml files\n"), (run.ExitCode, run.Err));
    }
}
