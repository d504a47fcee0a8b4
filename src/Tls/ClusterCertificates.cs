using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Tls;

/// <summary>Where the control plane's CA comes from and which names its API certificate carries.</summary>
public sealed record ClusterCertificateSettings
{
    /// <summary>The control plane's data directory: ca.crt and ca.key are created here on first start.</summary>
    public required string DataDir { get; init; }
    /// <summary>A CA given by the operator (both or neither): several control planes given the same files share the CA.</summary>
    public string? CaCertFile { get; init; }
    public string? CaKeyFile { get; init; }
    /// <summary>IP addresses and DNS names the API certificate is valid for, besides 127.0.0.1, ::1, localhost and the host name.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];
    public IReadOnlyList<string> DnsNames { get; init; } = [];
}

/// <summary>
/// The control plane's certificates, all from the cluster CA: the API's server certificate, the client certificate it
/// presents to agents, and the silos' certificate. The CA is created on first start (k3s, Swarm: no extra step); the
/// leaves are issued afresh at every start, so a new address only needs a restart.
/// </summary>
public sealed class ClusterCertificates : IDisposable
{
    public const string CaCertFileName = "ca.crt";
    public const string CaKeyFileName = "ca.key";

    private ClusterCertificates(CertificateAuthority authority, string caCertFile, X509Certificate2 server, X509Certificate2 client, X509Certificate2 silo)
    {
        Authority = authority;
        CaCertFile = caCertFile;
        Trust = new ClusterTrust(X509Certificate2.CreateFromPem(authority.Certificate.ExportCertificatePem()));
        Server = server;
        Client = client;
        Silo = silo;
    }

    public CertificateAuthority Authority { get; }
    /// <summary>The CA certificate's file: what `orc --ca-file`, agents' --ca-file and Prometheus' ca_file point at.</summary>
    public string CaCertFile { get; }
    public ClusterTrust Trust { get; }
    public X509Certificate2 Server { get; }
    public X509Certificate2 Client { get; }
    public X509Certificate2 Silo { get; }

    /// <exception cref="TlsSetupException">a file cannot be read or written; the message names it</exception>
    public static ClusterCertificates LoadOrCreate(ClusterCertificateSettings settings, DateTimeOffset now)
    {
        var (authority, caFile) = LoadOrCreateAuthority(settings, now);
        var dns = new List<string> { "localhost", System.Net.Dns.GetHostName() };
        dns.AddRange(settings.DnsNames);
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        addresses.AddRange(settings.Addresses.Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any)));
        return new ClusterCertificates(authority, caFile,
            authority.IssueServer("orchestrator-api", dns, addresses, now),
            authority.IssueClient(TlsNames.ControlPlaneClient, now),
            authority.IssuePeer(TlsNames.Silo, dns, addresses, now));
    }

    private static (CertificateAuthority, string) LoadOrCreateAuthority(ClusterCertificateSettings settings, DateTimeOffset now)
    {
        if (settings.CaCertFile is { Length: > 0 } givenCert && settings.CaKeyFile is { Length: > 0 } givenKey)
            return (new CertificateAuthority(PemFiles.ReadCertificateWithKey(givenCert, givenKey)), Path.GetFullPath(givenCert));
        var certFile = Path.GetFullPath(Path.Combine(settings.DataDir, CaCertFileName));
        var keyFile = Path.GetFullPath(Path.Combine(settings.DataDir, CaKeyFileName));
        if (File.Exists(certFile)) return (new CertificateAuthority(PemFiles.ReadCertificateWithKey(certFile, keyFile)), certFile);
        try
        {
            Directory.CreateDirectory(settings.DataDir);
            using var created = CertificateAuthority.Create(TlsNames.ClusterCa, now);
            // Written under temporary names and renamed, the key before the certificate: a reader that sees ca.crt finds ca.key.
            var suffix = $".{Environment.ProcessId}.tmp";
            PemFiles.WriteKey(keyFile + suffix, created.Certificate);
            PemFiles.WriteCertificate(certFile + suffix, created.Certificate);
            File.Move(keyFile + suffix, keyFile, overwrite: false);
            File.Move(certFile + suffix, certFile, overwrite: false);
        }
        catch (IOException) when (File.Exists(certFile))
        {
            // another process sharing the data directory created it first: use that one
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsSetupException($"--data-dir {settings.DataDir}: cannot create the cluster CA there ({e.Message})");
        }
        return (new CertificateAuthority(PemFiles.ReadCertificateWithKey(certFile, keyFile)), certFile);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        Client.Dispose();
        Silo.Dispose();
    }
}
