using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Tls;

/// <summary>
/// The agent's own server certificate, made at start and held only in memory: nobody needs to trust it through a CA,
/// because the control plane pins it (<see cref="CertificatePin"/>) from the agent's registration.
/// </summary>
public static class SelfSignedCertificate
{
    public static X509Certificate2 CreateServer(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oids.ServerAuth], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in TlsNames.DnsNamesOnly(dnsNames)) san.AddDnsName(name);
        foreach (var address in addresses.Distinct()) san.AddIpAddress(address);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(now - CertificateAuthority.ClockSkew, now + CertificateAuthority.LeafLifetime);
    }
}
