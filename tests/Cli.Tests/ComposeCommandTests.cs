using System.Text;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>orc compose up/down and Compose files through apply: translated and checked here, our form sent, errors at the Compose line.</summary>
[Trait("Category", "Unit")]
public sealed class ComposeCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("orc-compose-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private const string Compose = """
        services:
          web:
            image: local/web:1
            deploy: {replicas: 2}
            container_name: front
        secrets:
          db_password: {file: ./password.txt}
        """;

    private static ApplyResponse Answer(params (string Kind, string Name, string Action)[] results) => new()
    {
        Results = results.Select(r => new ApplyResult { Kind = r.Kind, Namespace = "default", Name = r.Name, Action = r.Action }).ToList(),
    };

    private static ApplyRequest Sent(FakeApi api) => Json.Deserialize<ApplyRequest>(api.Received.Single().Body!);

    [Fact]
    public async Task Up_sends_our_manifest_form_with_the_secret_file_read_beside_the_compose_file_and_lists_skipped_keys_once()
    {
        Write("password.txt", "s3cret");
        var path = Write("compose.yaml", Compose);
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/apply", Answer(("Service", "web", "created"), ("Secret", "db-password", "created")));

        var run = await Orc.RunAsync(api, "compose", "up", "-f", path, "--ignore-unsupported");

        Assert.Equal(0, run.ExitCode);
        var warning = Assert.Single(run.ErrLines);
        Assert.StartsWith($"warning: {path}:5:5 services.web.container_name: \"container_name\" is not supported; supported here: image, command, entrypoint,", warning);
        Assert.EndsWith(" (ignored)", warning);
        var sent = Assert.Single(Sent(api).Files);
        Assert.Equal(path, sent.Name);
        Assert.False(ManifestTranslation.IsForeign(sent));
        var loaded = ManifestLoader.Load([sent]);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Equal(("web", 2), (loaded.Services.Single().Metadata.Name, loaded.Services.Single().Spec.Replicas));
        Assert.Equal("s3cret", Encoding.UTF8.GetString(Convert.FromBase64String(loaded.Secrets.Single().Data["db_password"])));
    }

    [Fact]
    public async Task Without_ignore_unsupported_nothing_is_sent_and_the_key_is_named_at_its_line()
    {
        Write("password.txt", "s3cret");
        var path = Write("compose.yaml", Compose);
        var api = new FakeApi();

        foreach (var verb in new[] { "compose up", "apply" })
        {
            var run = await Orc.RunAsync(api, [.. verb.Split(' '), "-f", path]);

            Assert.Equal(1, run.ExitCode);
            Assert.Equal("error: 1 error(s) in the manifests; nothing was sent", run.ErrLines[0]);
            Assert.StartsWith($"{path}:5:5 services.web.container_name: \"container_name\" is not supported", run.ErrLines[1]);
        }
        Assert.Empty(api.Received);
    }

    [Fact]
    public async Task A_missing_secret_file_is_named_at_its_line()
    {
        var path = Write("compose.yaml", Compose.Replace("    container_name: front\n", ""));

        var run = await Orc.RunAsync(new FakeApi(), "compose", "up", "-f", path);

        Assert.Equal($"{path}:6:23 secrets.db_password.file: there is no file {Path.Combine(folder, "./password.txt")}", run.ErrLines[1]);
    }

    [Fact]
    public async Task Down_deletes_the_translated_objects_and_up_refuses_a_file_that_is_not_compose()
    {
        Write("password.txt", "s3cret");
        var path = Write("compose.yaml", Compose);
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/delete", Answer(("Service", "web", "deleted"), ("Secret", "db-password", "deleted")));

        var down = await Orc.RunAsync(api, "compose", "down", "-f", path);

        Assert.Equal((0, ""), (down.ExitCode, down.Err));
        var sent = Assert.Single(Sent(api).Files);
        Assert.Equal(["web"], ManifestLoader.Load([sent]).Services.Select(s => s.Metadata.Name));

        var ours = Write("web.yaml", "apiVersion: orchestrator/v1\nkind: Service\nmetadata: {name: web}\nspec: {image: local/web:1}\n");
        var refused = await Orc.RunAsync(new FakeApi(), "compose", "up", "-f", ours);
        Assert.Equal((1, $"error: {ours} is not a Compose file (a top-level services mapping and no kind); apply other manifests with orc apply -f"), (refused.ExitCode, refused.ErrLines[0]));
    }

    [Fact]
    public async Task Our_own_manifests_are_still_sent_as_written()
    {
        var content = "apiVersion: orchestrator/v1\nkind: Service\nmetadata: {name: web}\nspec: {image: local/web:1}\n";
        var path = Write("web.yaml", content);
        var api = new FakeApi().Expect(HttpMethod.Post, "/api/v1/apply", Answer(("Service", "web", "created")),
            body: new ApplyRequest { Files = [new ManifestFile { Name = path, Content = content }] });

        Assert.Equal(0, (await Orc.RunAsync(api, "apply", "-f", path)).ExitCode);
    }
}
