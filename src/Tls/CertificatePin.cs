using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Tls;

/// <summary>
/// A certificate's SHA-256 (of its DER bytes, lower-case hex): an agent reports its own with its registration, and the
/// control plane accepts exactly that certificate when it calls the agent.
/// </summary>
public static class CertificatePin
{
    public static string Sha256(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawDataMemory.Span));

    public static bool Matches(X509Certificate2? certificate, string? pin) =>
        certificate is not null && !string.IsNullOrEmpty(pin)
        && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Sha256(certificate)), System.Text.Encoding.ASCII.GetBytes(pin.ToLowerInvariant()));

    /// <summary>The SHA-256 of the certificate's public key (SPKI), base64: what Chromium's --ignore-certificate-errors-spki-list and curl's --pinnedpubkey take.</summary>
    public static string SpkiSha256Base64(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
