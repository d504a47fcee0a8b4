using System.Net;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Tls;

namespace Orchestrator.ControlPlane.Tests.Tls;

/// <summary>The cluster CA and what it issues (docs/security.md "TLS"): names, usages, lifetimes, and the key file's mode.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterCertificatesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("orc-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ClusterCertificates Load(string? dataDir = null, string? caCert = null, string? caKey = null) =>
        ClusterCertificates.LoadOrCreate(new ClusterCertificateSettings
        {
            DataDir = dataDir ?? _dir,
            CaCertFile = caCert,
            CaKeyFile = caKey,
            Addresses = [IPAddress.Parse("10.0.0.5")],
            DnsNames = ["cp.example"],
        }, Now);

    private static (List<string> Dns, List<IPAddress> Ips) Sans(X509Certificate2 c)
    {
        var san = c.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        return (san.EnumerateDnsNames().ToList(), san.EnumerateIPAddresses().ToList());
    }

    private static List<string> Usages(X509Certificate2 c) =>
        c.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value!).ToList();

    [Fact]
    public void First_start_creates_the_ca_with_its_key_readable_by_the_owner_only()
    {
        using var certs = Load();
        Assert.Equal(Path.Combine(_dir, "ca.crt"), certs.CaCertFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "ca.key")));
        Assert.True(certs.Authority.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        using (var key = certs.Authority.Certificate.GetECDsaPublicKey()) Assert.Equal(256, key!.KeySize);
        Assert.Equal(Now - CertificateAuthority.ClockSkew, new DateTimeOffset(certs.Authority.Certificate.NotBefore));
        Assert.Equal(Now + CertificateAuthority.CaLifetime, new DateTimeOffset(certs.Authority.Certificate.NotAfter));
    }

    [Fact]
    public void A_second_start_and_a_second_control_plane_given_the_files_share_the_ca()
    {
        using var first = Load();
        using var again = Load();
        using var other = Load(dataDir: Path.Combine(_dir, "other"), caCert: first.CaCertFile, caKey: Path.Combine(_dir, "ca.key"));
        Assert.Equal(first.Authority.Certificate.Thumbprint, again.Authority.Certificate.Thumbprint);
        Assert.Equal(first.Authority.Certificate.Thumbprint, other.Authority.Certificate.Thumbprint);
        Assert.True(first.Trust.Verifies(other.Server, Oids.ServerAuth));
        Assert.False(Directory.Exists(Path.Combine(_dir, "other")), "a control plane given the CA files writes none of its own");
    }

    [Fact]
    public void The_api_certificate_names_every_address_it_is_reached_at_and_serves_only()
    {
        using var certs = Load();
        var (dns, ips) = Sans(certs.Server);
        Assert.Equal(["localhost", Dns.GetHostName(), "cp.example"], dns);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("10.0.0.5")], ips);
        Assert.Equal([Oids.ServerAuth.Value!], Usages(certs.Server));
        Assert.True(certs.Trust.Verifies(certs.Server, Oids.ServerAuth));
        Assert.False(certs.Trust.Verifies(certs.Server, Oids.ClientAuth));
        Assert.Equal(Now + CertificateAuthority.LeafLifetime, new DateTimeOffset(certs.Server.NotAfter));
        Assert.True(certs.Server.HasPrivateKey);
    }

    [Fact]
    public void The_client_certificate_is_the_control_plane_and_nothing_else_is()
    {
        using var certs = Load();
        Assert.Equal([Oids.ClientAuth.Value!], Usages(certs.Client));
        Assert.True(certs.Trust.IsControlPlaneClient(certs.Client));
        Assert.False(certs.Trust.IsControlPlaneClient(certs.Server), "a server certificate is no client");
        Assert.False(certs.Trust.IsControlPlaneClient(certs.Authority.IssueNodeClient("h1", Now)), "a node is not the control plane");
        using var otherCa = CertificateAuthority.Create(TlsNames.ClusterCa, Now);
        Assert.False(certs.Trust.IsControlPlaneClient(otherCa.IssueClient(TlsNames.ControlPlaneClient, Now)), "the name from another CA");
    }

    [Fact]
    public void Agents_and_orc_trust_by_the_ca_file_alone()
    {
        using var certs = Load();
        var trust = ClusterTrust.FromFile(certs.CaCertFile);
        Assert.False(trust.Ca.HasPrivateKey);
        Assert.True(trust.Verifies(certs.Server, Oids.ServerAuth));
        Assert.True(trust.IsControlPlaneClient(certs.Client));
    }

    [Fact]
    public void A_node_certificate_carries_the_node_name()
    {
        using var certs = Load();
        using var node = certs.Authority.IssueNodeClient("h1", Now);
        Assert.Equal("orchestrator-node:h1", node.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(["h1"], Sans(node).Dns);
        Assert.True(certs.Trust.Verifies(node, Oids.ClientAuth));
    }

    [Fact]
    public void An_expired_certificate_is_not_trusted()
    {
        var then = DateTimeOffset.UtcNow - CertificateAuthority.LeafLifetime - TimeSpan.FromDays(1);
        using var ca = CertificateAuthority.Create(TlsNames.ClusterCa, then);
        var trust = new ClusterTrust(ca.Certificate);
        using var old = ca.IssueClient(TlsNames.ControlPlaneClient, then);
        using var fresh = ca.IssueClient(TlsNames.ControlPlaneClient, DateTimeOffset.UtcNow);
        Assert.False(trust.IsControlPlaneClient(old));
        Assert.True(trust.IsControlPlaneClient(fresh));
    }

    [Fact]
    public void Only_one_of_ca_cert_and_ca_key_or_an_unreadable_one_is_named()
    {
        var e = Assert.Throws<TlsSetupException>(() => Load(caCert: Path.Combine(_dir, "nope.crt"), caKey: Path.Combine(_dir, "nope.key")));
        Assert.StartsWith($"{Path.Combine(_dir, "nope.crt")} with key {Path.Combine(_dir, "nope.key")}: cannot read", e.Message);
    }
}
