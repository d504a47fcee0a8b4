using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>`orc create|get|describe|delete secret|config` and `orc secret rotate-key` against a fake control plane.</summary>
[Trait("Category", "Unit")]
public sealed class SecretConfigCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orc-create-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DataObjectView View(string kind, string name, params DataItem[] keys) => new()
    {
        Kind = kind, Metadata = new ObjectMeta { Name = name, CreatedAt = Orc.Now.AddMinutes(-3) }, Keys = [.. keys],
    };

    [Fact]
    public async Task Create_secret_sends_literals_and_files_as_a_secret_manifest_with_base64_data()
    {
        var file = Path.Combine(_dir, "tls.key");
        await File.WriteAllBytesAsync(file, [0, 1, 2, 255]);
        var api = new FakeApi()
            .Expect(HttpMethod.Get, "/api/v1/secrets?namespace=team-a", new List<DataObjectView>())
            .Expect(HttpMethod.Post, "/api/v1/apply", new ApplyResponse { Results = [new() { Kind = "Secret", Name = "db", Action = ApplyActions.Created }] });

        var run = await Orc.RunAsync(api, "create", "secret", "db", "-n", "team-a", "--from-literal", "password=p=ss word", "--from-file", file, "--from-file", $"renamed={file}");

        Assert.Equal((0, "secret/db created\n", ""), (run.ExitCode, run.Out, run.Err));
        var request = Json.Deserialize<ApplyRequest>(api.Received[1].Body!);
        var manifest = JsonNode.Parse(Assert.Single(request.Files).Content)!;
        Assert.Equal("Secret", (string?)manifest["kind"]);
        Assert.Equal("team-a", (string?)manifest["metadata"]!["namespace"]);
        Assert.Equal("p=ss word", Encoding.UTF8.GetString(Convert.FromBase64String((string)manifest["data"]!["password"]!)));
        Assert.Equal([0, 1, 2, 255], Convert.FromBase64String((string)manifest["data"]!["tls.key"]!));
        Assert.Equal([0, 1, 2, 255], Convert.FromBase64String((string)manifest["data"]!["renamed"]!));
        // What the CLI sends the server reads as a valid Secret.
        Assert.True(ManifestLoader.Load(request.Files).Ok);
    }

    [Fact]
    public async Task Create_config_keeps_text_as_text_and_refuses_a_name_that_exists()
    {
        var api = new FakeApi().AcrossRuns()
            .Expect(HttpMethod.Get, "/api/v1/configs?namespace=default", new List<DataObjectView>())
            .Expect(HttpMethod.Post, "/api/v1/apply", new ApplyResponse { Results = [new() { Kind = "Config", Name = "app", Action = ApplyActions.Created }] })
            .Expect(HttpMethod.Get, "/api/v1/configs?namespace=default", new List<DataObjectView> { View("Config", "app") });

        var created = await Orc.RunAsync(api, "create", "config", "app", "--from-literal", "greeting=héllo \"quoted\"\nline");
        var again = await Orc.RunAsync(api, "create", "config", "app", "--from-literal", "a=b");

        Assert.Equal((0, "config/app created\n"), (created.ExitCode, created.Out));
        var loaded = ManifestLoader.Load(Json.Deserialize<ApplyRequest>(api.Received[1].Body!).Files);
        Assert.Equal("héllo \"quoted\"\nline", Assert.Single(loaded.Configs).Data["greeting"]);
        Assert.Equal((1, "error: config \"default/app\" already exists; change it with `orc apply -f FILE`, or delete it first\n"), (again.ExitCode, again.Err));
        api.AssertAllAnswered();
    }

    [Theory]
    [InlineData("--from-literal", "novalue", "error: --from-literal takes KEY=VALUE, got \"novalue\"\n")]
    [InlineData("--from-file", "/nonexistent/x", "error: --from-file /nonexistent/x: no such file /nonexistent/x\n")]
    public async Task A_bad_source_is_named_and_nothing_is_sent(string option, string value, string error)
    {
        var run = await Orc.RunAsync(new FakeApi(), "create", "secret", "db", option, value);

        Assert.Equal((1, error), (run.ExitCode, run.Err));
    }

    [Fact]
    public async Task Get_secrets_lists_names_keys_sizes_and_age()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/secrets",
            new List<DataObjectView> { View("Secret", "db", new DataItem("password", 21), new DataItem("user", 5)) });

        var run = await Orc.RunAsync(api, "get", "secrets");

        Assert.Equal([
            "NAMESPACE   NAME   KEYS            SIZE       AGE",
            "default     db     password,user   26 bytes   3m",
        ], run.OutLines);
    }

    [Fact]
    public async Task Describe_secret_shows_each_key_with_its_size()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, "/api/v1/namespaces/default/secrets/db", View("Secret", "db", new DataItem("password", 2048)));

        var run = await Orc.RunAsync(api, "describe", "secret/db");

        Assert.Contains("  KEY        SIZE", run.OutLines);
        Assert.Contains("  password   2 KiB", run.OutLines);
    }

    [Fact]
    public async Task Delete_config_by_name_and_rotate_key_say_what_happened()
    {
        var api = new FakeApi().AcrossRuns()
            .Expect(HttpMethod.Delete, "/api/v1/namespaces/default/configs/app", new ApplyResult { Kind = "Config", Name = "app", Action = ApplyActions.Deleted })
            .Expect(HttpMethod.Post, "/api/v1/secrets/rotate-key", new KeyRotation { KeyId = "abc123", Secrets = 4 });

        var deleted = await Orc.RunAsync(api, "delete", "config", "app");
        var rotated = await Orc.RunAsync(api, "secret", "rotate-key");

        Assert.Equal("config/app deleted\n", deleted.Out);
        Assert.Equal("encryption key rotated: 4 secret(s) sealed again with key abc123\n", rotated.Out);
        api.AssertAllAnswered();
    }
}
