using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Options;
using Orchestrator.Tls;

namespace Orchestrator.NodeAgent.Hosting;

/// <summary>
/// The agent's TLS (docs/security.md "TLS"): it trusts control planes whose certificate chains to the cluster CA
/// (--ca-file), serves its own API over HTTPS with a self-signed certificate whose SHA-256 it registers (the control
/// plane pins it), and answers /v1 (logs, stats) only to the control plane's client certificate.
/// </summary>
public sealed class AgentTls
{
    private AgentTls(ClusterTrust trust, X509Certificate2 server)
    {
        Trust = trust;
        Server = server;
        Pin = CertificatePin.Sha256(server);
    }

    public ClusterTrust Trust { get; }
    public X509Certificate2 Server { get; }
    /// <summary>What the registration carries: <see cref="NodeRegistration.AgentCertificateSha256"/>.</summary>
    public string Pin { get; }

    /// <exception cref="TlsSetupException">the CA file cannot be read</exception>
    public static AgentTls Create(NodeAgentOptions options, DateTimeOffset now)
    {
        var trust = ClusterTrust.FromFile(options.CaFile!);
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.Parse(options.Address) };
        var names = new List<string> { "localhost", options.NodeName };
        foreach (var host in new[] { new Uri(options.Listen).Host, new Uri(NodeResources.AgentUrl(options)).Host })
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) { if (!ip.Equals(IPAddress.Any)) addresses.Add(ip); }
            else names.Add(host);
        }
        return new AgentTls(trust, SelfSignedCertificate.CreateServer("orchestrator-agent:" + options.NodeName, names, addresses, now));
    }

    /// <summary>
    /// HTTPS with our certificate; a client certificate is asked for but not required (so /healthz and /metrics stay
    /// reachable), and one that is offered must be the control plane's, or the handshake fails.
    /// </summary>
    public void ConfigureKestrel(IWebHostBuilder web) => web.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
    {
        https.ServerCertificate = Server;
        https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
        https.ClientCertificateValidation = (certificate, _, _) => Trust.IsControlPlaneClient(certificate);
    }));

    /// <summary>/v1 answers 403 to a connection that did not present the control plane's certificate.</summary>
    public void RequireControlPlaneForApi(WebApplication app) => app.UseWhen(
        http => http.Request.Path.StartsWithSegments("/v1"),
        branch => branch.Use(async (http, next) =>
        {
            if (Trust.IsControlPlaneClient(http.Connection.ClientCertificate))
            {
                await next(http);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsJsonAsync(new ApiError
            {
                Error = "the agent's API answers only the control plane: present its client certificate (CN " + TlsNames.ControlPlaneClient + ", issued by the cluster CA)",
            }, Json.Options);
        }));
}
