using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Tls;

/// <summary>
/// Trust in one cluster CA and nothing else: the machine's trust store plays no part, so a certificate from a public
/// CA or from another cluster is refused like a self-signed one.
/// </summary>
public sealed class ClusterTrust(X509Certificate2 ca)
{
    public X509Certificate2 Ca { get; } = ca;

    /// <summary>The CA certificate from a PEM file (a control plane's DATA_DIR/ca.crt).</summary>
    public static ClusterTrust FromFile(string path) => new(PemFiles.ReadCertificate(path));

    /// <summary>True when <paramref name="certificate"/> chains to the CA, is valid now, and allows <paramref name="usage"/>.</summary>
    public bool Verifies(X509Certificate2 certificate, Oid usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(usage);
        return chain.Build(certificate)
            && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(Ca.RawDataMemory.Span);
    }

    /// <summary>
    /// A server's certificate as a TLS client sees it: its name matches the address dialled (the platform checked
    /// that, <paramref name="errors"/>), and it chains to the CA as a server certificate (checked here).
    /// </summary>
    public bool VerifiesServer(X509Certificate2? certificate, SslPolicyErrors errors) =>
        certificate is not null
        && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
        && Verifies(certificate, Oids.ServerAuth);

    /// <summary>A peer that is the control plane: a client certificate of the CA whose CN is <see cref="TlsNames.ControlPlaneClient"/>.</summary>
    public bool IsControlPlaneClient(X509Certificate2? certificate) =>
        certificate is not null
        && certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) == TlsNames.ControlPlaneClient
        && Verifies(certificate, Oids.ClientAuth);

    /// <summary>
    /// An HTTP handler that trusts only servers of this CA (and presents <paramref name="clientCertificate"/> when
    /// given): what `orc`, the agents and the tests use toward the control plane's API.
    /// </summary>
    public SocketsHttpHandler Handler(X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            VerifiesServer(certificate as X509Certificate2 ?? (certificate is null ? null : new X509Certificate2(certificate)), errors);
        if (clientCertificate is not null) handler.SslOptions.ClientCertificates = [clientCertificate];
        return handler;
    }
}
