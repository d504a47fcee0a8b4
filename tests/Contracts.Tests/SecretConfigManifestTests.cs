using System.Text;
using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>Secret and Config documents: Kubernetes' shapes, every mistake at its file:line:column, and no value in any message.</summary>
[Trait("Category", "Unit")]
public class SecretConfigManifestTests
{
    private const string SecretValue = "hunter2-do-not-print";

    private static string Secret(params string[] body) => Lines(["apiVersion: orchestrator/v1", "kind: Secret", "metadata:", "  name: db", .. body]);
    private static string Config(params string[] body) => Lines(["apiVersion: orchestrator/v1", "kind: Config", "metadata:", "  name: app", .. body]);

    [Fact]
    public void A_secret_folds_stringData_into_data_as_base64_and_stringData_wins_a_shared_key()
    {
        var result = Load(Secret(
            "data:",
            $"  password: {Convert.ToBase64String(Encoding.UTF8.GetBytes("old"))}",
            "  user: " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin")),
            "stringData:",
            $"  password: {SecretValue}"), "db.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var secret = Assert.Single(result.Secrets);
        Assert.Equal(("default", "db"), (secret.Metadata.Namespace, secret.Metadata.Name));
        Assert.Equal(SecretValue, Encoding.UTF8.GetString(Convert.FromBase64String(secret.Data["password"])));
        Assert.Equal("admin", Encoding.UTF8.GetString(Convert.FromBase64String(secret.Data["user"])));
        Assert.Equal([new DataItem("password", SecretValue.Length), new DataItem("user", 5)], secret.Items());
        Assert.Empty(result.Services);
    }

    [Fact]
    public void A_config_keeps_its_text_and_sits_beside_services_of_the_same_file()
    {
        var result = Load(Config("data:", "  app.conf: |", "    listen 8080", "    mode fast", "  empty:") + "\n---\n" + Service("web"));

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var config = Assert.Single(result.Configs);
        Assert.Equal("listen 8080\nmode fast\n", config.Data["app.conf"]);
        Assert.Equal("", config.Data["empty"]);
        Assert.Single(result.Services);
    }

    [Theory]
    [InlineData("bad base64", "data:|  password: not*base64", "db.yaml:6:13 data.password: must be base64 (A-Z, a-z, 0-9, '+', '/', '=' padding); write plain text under stringData instead")]
    [InlineData("a key that cannot be a file name", "stringData:|  ../etc/passwd: x", "db.yaml:6:3 stringData[\"../etc/passwd\"]: key \"../etc/passwd\" is not valid: must be " + Names.DataKeyAllowed)]
    [InlineData("a mapping as a value", "stringData:|  password:|    nested: x", "db.yaml:7:5 stringData.password: must be text, got a mapping")]
    [InlineData("a spec on a secret", "spec:|  image: x", "db.yaml:5:1 spec: unknown field \"spec\"; allowed: apiVersion, kind, metadata, data, stringData")]
    [InlineData("data as a list", "data:|  - a", "db.yaml:6:3 data: must be a mapping of keys to values, got a list")]
    public void A_bad_secret_is_refused_at_the_place_and_the_message_quotes_no_value(string name, string body, string expected)
    {
        var result = Load(Secret(body.Split('|')), "db.yaml");

        Assert.False(result.Ok, name);
        Assert.Equal(expected, Assert.Single(result.Errors).ToString());
        Assert.Empty(result.Secrets);
    }

    [Fact]
    public void A_secret_value_never_appears_in_an_error_even_when_it_is_bad_base64()
    {
        var result = Load(Secret("data:", $"  password: {SecretValue}!", "  user: [1]"), "db.yaml");

        Assert.False(result.Ok);
        Assert.DoesNotContain(result.Errors, e => e.ToString().Contains(SecretValue));
    }

    [Fact]
    public void A_config_value_must_be_text()
    {
        var result = Load(Config("data:", "  app.conf:", "    - a"), "app.yaml");

        Assert.Equal("app.yaml:7:5 data[\"app.conf\"]: must be text, got a list", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Values_over_1_MiB_together_are_refused_naming_the_limit()
    {
        var half = new string('a', 600_000);
        var result = Load(Secret("stringData:", $"  a: {half}", $"  b: {half}"), "big.yaml");

        Assert.Equal("big.yaml:1:1 data: the values are 1.1 MiB together, more than the 1 MiB one object may hold", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Exactly_1_MiB_is_accepted()
    {
        var result = Load(Config("data:", $"  a: {new string('a', ManifestLimits.MaxDataBytes)}"), "edge.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
    }

    [Fact]
    public void More_keys_than_the_limit_are_refused()
    {
        var keys = Enumerable.Range(0, ManifestLimits.MaxDataKeys + 1).Select(i => $"  k{i}: v");
        var result = Load(Config(["data:", .. keys]), "many.yaml");

        Assert.Equal($"many.yaml:6:3 data: at most {ManifestLimits.MaxDataKeys} keys are allowed, got {ManifestLimits.MaxDataKeys + 1}", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void A_secret_and_a_config_of_one_name_are_two_objects_but_two_secrets_are_a_duplicate()
    {
        Assert.True(Load(Secret() + "\n---\n" + Config().Replace("name: app", "name: db")).Ok);

        var twice = Load(Secret() + "\n---\n" + Secret(), "dup.yaml");
        Assert.Equal("dup.yaml:9:9 metadata.name: Secret \"default/db\" is already defined at dup.yaml:4:9", Assert.Single(twice.Errors).ToString());
    }
}
