using Orchestrator.Tls;

namespace Orchestrator.Orc.Tests;

/// <summary>The TLS warm-up beside the parsing: started only with a cluster CA, and never a failure of its own.</summary>
[Trait("Category", "Unit")]
public sealed class TlsWarmUpTests : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("orc-home-").FullName;

    public void Dispose() => Directory.Delete(home, recursive: true);

    private CliEnvironment WithCa(string? path) =>
        new() { HomeDirectory = home, Variable = name => name == ClusterCaFile.Variable ? path : null };

    private string Write(string name, string text)
    {
        var path = Path.Combine(home, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_real_ca_is_loaded_and_its_chain_built_in_the_background()
    {
        var authority = CertificateAuthority.Create("warm-up test", DateTimeOffset.UtcNow);
        var path = Path.Combine(home, "ca.crt");
        PemFiles.WriteCertificate(path, authority.Certificate);
        Assert.True(await TlsWarmUp.Start(WithCa(path)));
    }

    [Theory]
    [InlineData("no CA configured: nothing to warm", null)]
    [InlineData("ORC_CA names a file that does not exist: the command says so, not the warm-up", "missing.crt")]
    [InlineData("a file that is no PEM certificate: the command says so, not the warm-up", "garbage.crt")]
    [InlineData("a config file that is no JSON: the command says so, not the warm-up", "config")]
    public async Task Nothing_wrong_with_the_ca_makes_the_warm_up_fail(string name, string? file)
    {
        var path = file switch { null or "config" => null, "garbage.crt" => Write(file, "not a certificate"), _ => Path.Combine(home, file) };
        if (file == "config")
        {
            Directory.CreateDirectory(Path.Combine(home, ".orc"));
            Write(Path.Combine(".orc", "config.json"), "{ not json");
        }
        var warm = TlsWarmUp.Start(WithCa(path));
        Assert.False(await warm, name);
        Assert.True(warm.IsCompletedSuccessfully, name);
    }
}
