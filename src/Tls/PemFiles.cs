using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Tls;

/// <summary>Certificates and keys as PEM files: keys written 0600 from the first byte, never readable by others.</summary>
public static class PemFiles
{
    public const UnixFileMode KeyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WriteCertificate(string path, X509Certificate2 certificate) =>
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");

    /// <summary>Writes the private key (PKCS#8) to a new file created with mode 0600.</summary>
    public static void WriteKey(string path, X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the certificate has no ECDSA private key");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = KeyMode;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>The first certificate of a PEM file; the error names the file and what it should hold.</summary>
    public static X509Certificate2 ReadCertificate(string path)
    {
        try { return X509Certificate2.CreateFromPem(File.ReadAllText(path)); }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new TlsSetupException($"{path}: cannot read a PEM certificate ({e.Message})");
        }
    }

    /// <summary>A certificate with its key from two PEM files.</summary>
    public static X509Certificate2 ReadCertificateWithKey(string certificatePath, string keyPath)
    {
        try { return X509Certificate2.CreateFromPemFile(certificatePath, keyPath); }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new TlsSetupException($"{certificatePath} with key {keyPath}: cannot read a PEM certificate and its private key ({e.Message})");
        }
    }
}

/// <summary>A certificate or key that cannot be read or made; the message names the file.</summary>
public sealed class TlsSetupException(string message) : Exception(message);
