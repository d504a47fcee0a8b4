using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Tls;

/// <summary>
/// The cluster CA (ECDSA P-256, System.Security.Cryptography only): it signs the control plane's server and client
/// certificates, the silos' certificates and, through <see cref="IssueNodeClient"/>, a node's own client certificate.
/// Holds the CA's private key, so only the control plane has one.
/// </summary>
public sealed class CertificateAuthority(X509Certificate2 certificate) : IDisposable
{
    /// <summary>How long a new CA is valid: long, because rotating it means restarting every member (docs/security.md).</summary>
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);

    /// <summary>How long an issued leaf is valid. Leaves are issued again at every start of the control plane.</summary>
    public static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(365);

    /// <summary>Certificates are backdated by this much, so a peer whose clock is a little behind accepts them.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public X509Certificate2 Certificate { get; } = certificate.HasPrivateKey
        ? certificate
        : throw new ArgumentException("the CA certificate has no private key", nameof(certificate));

    public static CertificateAuthority Create(string commonName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return new CertificateAuthority(request.CreateSelfSigned(now - ClockSkew, now + CaLifetime));
    }

    /// <summary>A server certificate (serverAuth) for these DNS names and IP addresses.</summary>
    public X509Certificate2 IssueServer(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset now) =>
        Issue(commonName, dnsNames, addresses, [Oids.ServerAuth], now);

    /// <summary>A client certificate (clientAuth) whose subject is <paramref name="commonName"/>.</summary>
    public X509Certificate2 IssueClient(string commonName, DateTimeOffset now) =>
        Issue(commonName, [], [], [Oids.ClientAuth], now);

    /// <summary>
    /// A node's own client certificate: CN <c>orchestrator-node:NAME</c> and the node name as its DNS SAN, so that the
    /// control plane can tell which node a connection is (the join exchange hands it out; Kubernetes: system:node:NAME).
    /// </summary>
    public X509Certificate2 IssueNodeClient(string nodeName, DateTimeOffset now) =>
        Issue(TlsNames.NodeCommonName(nodeName), [nodeName], [], [Oids.ClientAuth], now);

    /// <summary>One certificate both ends of a connection present: a silo is server and client to its peers.</summary>
    public X509Certificate2 IssuePeer(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset now) =>
        Issue(commonName, dnsNames, addresses, [Oids.ServerAuth, Oids.ClientAuth], now);

    private X509Certificate2 Issue(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses,
        IReadOnlyList<Oid> usages, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var oids = new OidCollection();
        foreach (var usage in usages) oids.Add(usage);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var san = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var name in TlsNames.DnsNamesOnly(dnsNames)) { san.AddDnsName(name); any = true; }
        foreach (var address in addresses.Distinct()) { san.AddIpAddress(address); any = true; }
        if (any) request.CertificateExtensions.Add(san.Build());
        var notAfter = now + LeafLifetime < Certificate.NotAfter ? now + LeafLifetime : new DateTimeOffset(Certificate.NotAfter);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(Certificate, now - ClockSkew, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose() => Certificate.Dispose();
}
