using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Contracts;
using Orchestrator.Tls;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// The TLS side of a test cluster, in one place: the run's cluster CA (made before any process starts, so every control
/// plane of the run shares it, as operators do with --ca-cert/--ca-key), the flags each program gets, and HTTP clients
/// that trust the CA and nothing else. There is no plain-HTTP test mode.
/// </summary>
public sealed class ClusterTls
{
    public ClusterTls(string workDir)
    {
        var dir = Path.Combine(workDir, "tls");
        using var made = ClusterCertificates.LoadOrCreate(new ClusterCertificateSettings { DataDir = dir }, DateTimeOffset.UtcNow);
        CaFile = made.CaCertFile;
        CaKeyFile = Path.Combine(dir, ClusterCertificates.CaKeyFileName);
        Trust = ClusterTrust.FromFile(CaFile);
    }

    public string CaFile { get; }
    public string CaKeyFile { get; }
    public ClusterTrust Trust { get; }

    /// <summary>A control plane's CA flags: the run's CA (its --data-dir comes from <see cref="Credentials.ControlPlaneArgs"/>).</summary>
    public string[] ControlPlaneArgs => ["--ca-cert", CaFile, "--ca-key", CaKeyFile];

    /// <summary>An agent's flags: the CA it trusts control planes by.</summary>
    public string[] AgentArgs => ["--ca-file", CaFile];

    /// <summary>What `orc` and scripts get in their environment: the CA, as ORC_CA.</summary>
    public IReadOnlyDictionary<string, string> OrcEnvironment => new Dictionary<string, string> { ["ORC_CA"] = CaFile };

    /// <summary>A client of a control plane's API that trusts only the run's CA.</summary>
    public HttpClient ApiClient(string? baseUrl = null, TimeSpan? timeout = null)
    {
        var http = new HttpClient(Trust.Handler()) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        if (baseUrl is not null) http.BaseAddress = new Uri(baseUrl);
        return http;
    }

    /// <summary>
    /// A client for the run's control planes and for an agent's /healthz and /metrics: an agent's self-signed certificate
    /// is accepted when it is the one its node registered (asked of <paramref name="api"/> at each new connection), as the
    /// control plane pins it.
    /// </summary>
    public HttpClient ApiAndAgentClient(HttpClient api, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            var cert = certificate is null ? null : new X509Certificate2(certificate);
            return Trust.VerifiesServer(cert, errors) || (cert is not null && RegisteredPins(api).Contains(CertificatePin.Sha256(cert)));
        };
        return new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
    }

    /// <summary>
    /// A TLS connection to the server at <paramref name="url"/>, checked against the CA like any client here: the stream,
    /// for tests that speak HTTP by hand (<see cref="ChunkedPost"/>).
    /// </summary>
    public async Task<SslStream> ConnectAsync(Uri url, TcpClient client)
    {
        await client.ConnectAsync(url.Host, url.Port);
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false,
            (_, certificate, _, errors) => Trust.VerifiesServer(certificate is null ? null : new X509Certificate2(certificate), errors));
        await ssl.AuthenticateAsClientAsync(url.Host);
        return ssl;
    }

    /// <summary>The SPKI hash (base64 SHA-256) of the certificate the server at <paramref name="url"/> presents, once it is verified against the CA.</summary>
    public async Task<string> ServerSpkiAsync(Uri url)
    {
        using var client = new TcpClient();
        await using var ssl = await ConnectAsync(url, client);
        return CertificatePin.SpkiSha256Base64(new X509Certificate2(ssl.RemoteCertificate!));
    }

    private static HashSet<string> RegisteredPins(HttpClient api)
    {
        try
        {
            var nodes = api.GetFromJsonAsync<List<NodeInfo>>("/api/v1/nodes", Json.Options).GetAwaiter().GetResult() ?? [];
            return nodes.Select(n => n.AgentCertificateSha256).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }
}
