using System.Net;
using Microsoft.AspNetCore.Hosting;
using Orchestrator.ServiceDefaults;
using Orchestrator.Tls;
using Orleans.Connections.Security;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>
/// TLS on the control plane's links (docs/security.md "TLS"): the API over HTTPS only, Orleans silo-to-silo and
/// gateway traffic over TLS with peers verified against the cluster CA, and the client certificate for agents.
/// </summary>
public static class ControlPlaneTls
{
    /// <summary>Where the API listens when neither --urls nor ASPNETCORE_URLS says.</summary>
    public const string DefaultUrls = "https://0.0.0.0:7070";

    /// <summary>The API URLs (--urls); a plain http:// one is a settings error: there is no plain-text mode.</summary>
    public static IReadOnlyList<Uri> ApiUrls(IWebHostBuilder web, List<string> problems)
    {
        var text = web.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(text)) web.UseUrls(text = DefaultUrls);
        var urls = new List<Uri>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcards (https://*:7070, https://+:7070) are not URIs; they mean every address.
            var parsed = Uri.TryCreate(part.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var url);
            if (!parsed || url!.Scheme != Uri.UriSchemeHttps)
                problems.Add($"--urls: \"{part}\" is not an https:// URL; the API serves HTTPS only (e.g. https://0.0.0.0:7070)");
            else urls.Add(url);
        }
        return urls;
    }

    /// <summary>
    /// The cluster CA (from --ca-cert/--ca-key, else DATA_DIR/ca.crt and ca.key, created on first start) and the leaves
    /// it issues: the API's certificate names the advertise address, the IPs of --urls, --tls-san, loopback and the host name.
    /// </summary>
    /// <exception cref="InvalidSettingsException">a CA file cannot be read or created</exception>
    public static ClusterCertificates LoadCertificates(ControlPlaneOptions options, IReadOnlyList<Uri> apiUrls, TimeProvider time)
    {
        var addresses = new List<IPAddress> { IPAddress.Parse(options.AdvertiseAddress) };
        var names = new List<string>();
        foreach (var host in apiUrls.Select(u => u.Host).Concat(options.TlsSans()))
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) addresses.Add(ip);
            else names.Add(host);
        }
        try
        {
            return ClusterCertificates.LoadOrCreate(new ClusterCertificateSettings
            {
                DataDir = options.DataDir ?? "",  // validated: set unless --ca-cert/--ca-key are
                CaCertFile = options.CaCert,
                CaKeyFile = options.CaKey,
                Addresses = addresses,
                DnsNames = names,
            }, time.GetUtcNow());
        }
        catch (TlsSetupException e)
        {
            throw new InvalidSettingsException([e.Message]);
        }
    }

    /// <summary>Every HTTPS endpoint of Kestrel serves the API certificate.</summary>
    public static void ServeApiOverHttps(this IWebHostBuilder web, ClusterCertificates certificates) =>
        web.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https => https.ServerCertificate = certificates.Server));

    /// <summary>
    /// Silo-to-silo and gateway connections over TLS, both ends presenting the silo certificate and each verifying the
    /// other's: it must chain to the cluster CA and be a silo's (its CN), so an agent's or a user's certificate is no silo.
    /// </summary>
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterCertificates certificates) =>
        silo.UseTls(certificates.Silo, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (certificate, _, _) =>
                certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false) == TlsNames.Silo
                && certificates.Trust.Verifies(certificate, Oids.ServerAuth);
        });
}
