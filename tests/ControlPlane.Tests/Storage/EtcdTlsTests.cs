using System.Net;
using Grpc.Core;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;
using Orchestrator.Tls;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>
/// The control plane's etcd client over TLS (--etcd-ca, --etcd-cert/--etcd-key) against a real etcd that serves https
/// and requires a client certificate (--client-cert-auth): it verifies etcd against the given CA and presents ours.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EtcdTlsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("etcd-tls-").FullName;
    private EtcdServer _etcd = null!;
    private string Ca => Path.Combine(_dir, "ca.crt");
    private string File(string name) => Path.Combine(_dir, name);

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("etcd-test-ca", now);
        PemFiles.WriteCertificate(Ca, ca.Certificate);
        Write("server", ca.IssueServer("etcd", ["localhost"], [IPAddress.Loopback], now));
        Write("client", ca.IssueClient("orchestrator-control-plane", now));
        using var other = CertificateAuthority.Create("another-ca", now);
        Write("stranger", other.IssueClient("orchestrator-control-plane", now));
        _etcd = new EtcdServer { Tls = new EtcdServerTls(Ca, File("server.crt"), File("server.key"), File("client.crt"), File("client.key")) };
        await _etcd.InitializeAsync();
    }

    private void Write(string name, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        PemFiles.WriteCertificate(File(name + ".crt"), certificate);
        PemFiles.WriteKey(File(name + ".key"), certificate);
    }

    public async Task DisposeAsync()
    {
        await _etcd.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task With_the_ca_and_a_client_certificate_the_control_plane_reads_and_writes_etcd_over_tls()
    {
        Assert.StartsWith("https://", _etcd.ClientUrl);
        using var kv = EtcdKv.Connect(_etcd.ClientUrl, new EtcdTls(Ca, File("client.crt"), File("client.key")));
        var outcome = await kv.CommitAsync(new EtcdTxn().PutValue("/tls/k", "v"));
        Assert.True(outcome.Succeeded);
        Assert.Equal("v", (await kv.GetAsync("/tls/k"))?.Value);
        var (items, _) = await kv.ListAsync("/tls/");
        Assert.Single(items);
    }

    [Fact]
    public async Task Without_a_client_certificate_or_with_another_cas_etcd_refuses_the_connection()
    {
        using var anonymous = EtcdKv.Connect(_etcd.ClientUrl, new EtcdTls(Ca, null, null));
        await Assert.ThrowsAnyAsync<RpcException>(() => anonymous.GetAsync("/tls/k", new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));
        using var stranger = EtcdKv.Connect(_etcd.ClientUrl, new EtcdTls(Ca, File("stranger.crt"), File("stranger.key")));
        await Assert.ThrowsAnyAsync<RpcException>(() => stranger.GetAsync("/tls/k", new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));
    }

    [Fact]
    public async Task An_etcd_whose_certificate_is_not_of_the_given_ca_is_refused()
    {
        using var other = CertificateAuthority.Create("not-etcds-ca", DateTimeOffset.UtcNow);
        var otherCa = File("other-ca.crt");
        PemFiles.WriteCertificate(otherCa, other.Certificate);
        using var kv = EtcdKv.Connect(_etcd.ClientUrl, new EtcdTls(otherCa, File("client.crt"), File("client.key")));
        await Assert.ThrowsAnyAsync<RpcException>(() => kv.GetAsync("/tls/k", new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token));
    }
}
