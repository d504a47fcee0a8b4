namespace Orchestrator.Orc.Tests;

/// <summary>The cluster CA orc trusts: --ca-file, else ORC_CA, else "ca" in ~/.orc/config.json, as for the server.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterCaFileTests : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("orc-home-").FullName;

    public void Dispose() => Directory.Delete(home, recursive: true);

    private string File(string name)
    {
        var path = Path.Combine(home, name);
        System.IO.File.WriteAllText(path, "pem");
        return path;
    }

    private CliEnvironment Environment(string? variable, string? config)
    {
        if (config is not null)
        {
            Directory.CreateDirectory(Path.Combine(home, ".orc"));
            System.IO.File.WriteAllText(Path.Combine(home, ".orc", "config.json"),
                $$"""{"server": "https://x:7070", "token": "orc.ID.SECRET", "ca": "{{config}}"}""");
        }
        return new CliEnvironment { HomeDirectory = home, Variable = name => name == ClusterCaFile.Variable ? variable : null };
    }

    [Theory]
    [InlineData("the flag beats everything", "flag", "variable", "config", "flag")]
    [InlineData("the variable beats the config file", null, "variable", "config", "variable")]
    [InlineData("the config file is the last word", null, null, "config", "config")]
    [InlineData("nothing set: the machine's trust store decides", null, null, null, null)]
    public void The_first_ca_set_wins(string name, string? flag, string? variable, string? config, string? wanted)
    {
        string? Path(string? which) => which is null ? null : File(which + ".crt");
        var resolved = ClusterCaFile.Resolve(Path(flag), Environment(Path(variable), Path(config)));
        Assert.True(Path(wanted) == resolved, $"{name}: got {resolved}");
    }

    [Fact]
    public void A_ca_file_that_does_not_exist_is_named_with_where_it_came_from()
    {
        var missing = Path.Combine(home, "missing.crt");
        var e = Assert.Throws<CliException>(() => ClusterCaFile.Resolve(null, Environment(missing, null)));
        Assert.Equal($"the cluster CA file {missing} (from ORC_CA) does not exist; give the control plane's DATA_DIR/ca.crt", e.Message);
    }
}

/// <summary>`orc config set`: one key changes, the others stay (./up.sh merges server, token and ca the same way).</summary>
[Trait("Category", "Unit")]
public sealed class ConfigSetTests : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("orc-home-").FullName;

    public void Dispose() => Directory.Delete(home, recursive: true);

    [Fact]
    public async Task Setting_a_key_keeps_every_other_key_and_the_file_is_the_owners_only()
    {
        var path = Path.Combine(home, ".orc", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """{"server": "https://old:7070", "token": "secret", "extra": {"a": 1}}""");

        var server = await Orc.RunAsync(new FakeApi(), Orc.Environment(home: home), "config", "set", "server", "https://127.0.0.1:7070");
        var ca = await Orc.RunAsync(new FakeApi(), Orc.Environment(home: home), "config", "set", "ca", "/run/ca.crt");

        Assert.True(server.ExitCode == 0 && ca.ExitCode == 0, server.Err + ca.Err);
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("https://127.0.0.1:7070", (string?)config["server"]);
        Assert.Equal("/run/ca.crt", (string?)config["ca"]);
        Assert.Equal("secret", (string?)config["token"]);
        Assert.Equal(1, (int?)config["extra"]?["a"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task One_file_serves_server_token_and_ca_and_ORC_CONFIG_names_another_file()
    {
        var path = Path.Combine(home, "elsewhere", "orc.json");
        var variables = new Dictionary<string, string> { [CliConfigFile.Variable] = path };
        var ca = Path.Combine(home, "ca.crt");
        File.WriteAllText(ca, "pem");
        foreach (var (key, value) in new[] { ("server", "https://cp:7070"), ("token", "orc.id.config"), ("ca", ca) })
        {
            var set = await Orc.RunAsync(new FakeApi(), Orc.Environment(variables, home), "config", "set", key, value);
            Assert.True(set.ExitCode == 0, set.Err);
        }

        Assert.False(File.Exists(Path.Combine(home, ".orc", "config.json")));
        var environment = Orc.Environment(variables, home);
        Assert.Equal([new Uri("https://cp:7070")], ServerAddress.Resolve(null, environment));
        Assert.Equal("orc.id.config", ClientToken.Resolve(null, environment));
        Assert.Equal(ca, ClusterCaFile.Resolve(null, environment));
    }
}
