using System.Text;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Secrets through the real `orc`, control plane and etcd: created, listed, described, changed by apply and sealed again
/// with a new key, while their values appear in no output, no raw etcd byte and no log file.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SecretTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private const string First = "e2e-first-V9qk2", Second = "e2e-second-Hx41p";

    private static void AssertNoValue(string where, string text) => SecretValueCheck.AssertAbsent(where, text, First, Second);

    [Fact]
    public async Task A_secret_is_shown_as_keys_and_sizes_only_stored_sealed_and_survives_a_key_rotation()
    {
        var outputs = new List<(string Where, string Text)>();
        async Task<CommandResult> Orc(params string[] args)
        {
            var result = await cluster.Orc(args);
            outputs.Add(($"orc {string.Join(' ', args)}", result.Stdout + result.Stderr));
            Assert.True(result.ExitCode == 0, $"orc {string.Join(' ', args)}: {result.Stderr}");
            return result;
        }

        Assert.Equal("secret/db created\n", (await Orc("create", "secret", "db", "--from-literal", $"password={First}", "--from-literal", "user=admin")).Stdout);
        var list = await Orc("get", "secrets");
        Assert.Matches(@"default\s+db\s+password,user\s+20 bytes", list.Stdout);
        await Orc("get", "secret", "db", "-o", "yaml");
        await Orc("get", "secret", "db", "-o", "json");
        Assert.Contains("password", (await Orc("describe", "secret", "db")).Stdout);

        var changed = cluster.Manifest("db.yaml", $"""
            apiVersion: orchestrator/v1
            kind: Secret
            metadata: {"{"}name: db{"}"}
            stringData:
              password: {Second}
              user: admin
            """);
        Assert.Equal("secret/db configured\n", (await Orc("apply", "-f", changed)).Stdout);
        var before = await RawEtcdAsync();
        Assert.Matches(@"^encryption key rotated: 1 secret\(s\) sealed again with key [0-9a-f]{12}\n$", (await Orc("secret", "rotate-key")).Stdout);
        var after = await RawEtcdAsync();
        Assert.NotEqual(SealedOf(before), SealedOf(after));
        await Orc("events");
        Assert.Equal("secret/db deleted\n", (await Orc("delete", "secret", "db")).Stdout);

        foreach (var (where, text) in outputs) AssertNoValue(where, text);
        AssertNoValue("etcd before the rotation", before);
        AssertNoValue("etcd after the rotation", after);
        AssertNoValue("the overview", await cluster.Http.GetStringAsync("/api/v1/overview"));
        AssertNoValue("the control plane's log", await File.ReadAllTextAsync(cluster.ControlPlaneLog));
        AssertNoValue("the agent's log", await File.ReadAllTextAsync(cluster.AgentLog));
        // The key file: only its owner reads it, and after the rotation it holds one key.
        var keyFile = Path.Combine(cluster.WorkDir, "encryption.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Single(System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(keyFile)).RootElement.GetProperty("keys").EnumerateArray());
    }

    /// <summary>Every key and value of etcd's whole key space, as etcdctl prints them.</summary>
    private async Task<string> RawEtcdAsync()
    {
        var get = await cluster.Etcdctl("get", "", "--from-key");
        Assert.Equal(0, get.ExitCode);
        return get.Stdout;
    }

    private static string SealedOf(string raw) =>
        raw.Split('\n').Single(l => l.Contains("\"sealed\"", StringComparison.Ordinal) && l.Contains("\"name\":\"db\"", StringComparison.Ordinal));
}
