using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;
using Orchestrator.Tls;

namespace Orchestrator.EndToEnd;

/// <summary>
/// TLS on every link of a real one-machine cluster (docs/security.md "TLS"): the API speaks only HTTPS, the agent's
/// API answers only the control plane's client certificate, and Orleans' silo and gateway ports speak TLS on the
/// advertise address only.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TlsTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private async Task<NodeInfo> NodeAsync() =>
        (await cluster.Http.GetFromJsonAsync<NodeInfo>($"/api/v1/nodes/{cluster.NodeName}", Json.Options))!;

    /// <summary>A client of the agent that accepts its registered certificate and presents <paramref name="certificate"/>.</summary>
    private async Task<HttpClient> AgentClientAsync(X509Certificate2? certificate)
    {
        var pin = (await NodeAsync()).AgentCertificateSha256;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) => CertificatePin.Matches(c is null ? null : new X509Certificate2(c), pin);
        if (certificate is not null) handler.SslOptions.ClientCertificates = [certificate];
        return new HttpClient(handler) { BaseAddress = new Uri(cluster.AgentUrl), Timeout = TimeSpan.FromSeconds(10) };
    }

    private CertificateAuthority RunCa() => new(PemFiles.ReadCertificateWithKey(cluster.Tls.CaFile, cluster.Tls.CaKeyFile));

    [Fact]
    public async Task The_api_answers_plain_http_with_nothing_usable()
    {
        var https = new Uri(cluster.ApiUrl);
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        HttpResponseMessage? answer = null;
        try { answer = await plain.GetAsync($"http://{https.Authority}/api/v1/services"); }
        catch (HttpRequestException) { /* the connection closed: refused */ }
        Assert.True(answer is null || answer.StatusCode == HttpStatusCode.BadRequest,
            $"plain HTTP to the API was answered {(int?)answer?.StatusCode}");

        // and the same route over HTTPS, trusting the cluster CA only, answers
        Assert.Equal(HttpStatusCode.OK, (await cluster.Http.GetAsync("/api/v1/services")).StatusCode);
    }

    [Fact]
    public async Task The_agent_api_answers_only_the_control_planes_certificate()
    {
        using var ca = RunCa();
        var now = DateTimeOffset.UtcNow;

        // no certificate: TLS, then 403 on /v1; /healthz stays open (no secrets: docs/security.md)
        using (var anonymous = await AgentClientAsync(null))
        {
            var stats = await anonymous.GetAsync("/v1/stats");
            Assert.Equal(HttpStatusCode.Forbidden, stats.StatusCode);
            Assert.Contains("answers only the control plane", (await stats.Content.ReadFromJsonAsync<ApiError>(Json.Options))!.Error);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        }

        // any certificate that is offered must be the control plane's: a node's of the same CA fails the handshake
        using (var node = await AgentClientAsync(ca.IssueNodeClient("h1", now)))
            await Assert.ThrowsAsync<HttpRequestException>(() => node.GetAsync("/v1/stats"));

        // the control plane's name from another CA: the handshake fails
        using (var other = CertificateAuthority.Create(TlsNames.ClusterCa, now))
        using (var forged = await AgentClientAsync(other.IssueClient(TlsNames.ControlPlaneClient, now)))
            await Assert.ThrowsAsync<HttpRequestException>(() => forged.GetAsync("/v1/stats"));

        // the control plane's own certificate: served
        using (var controlPlane = await AgentClientAsync(ca.IssueClient(TlsNames.ControlPlaneClient, now)))
            Assert.Equal(HttpStatusCode.OK, (await controlPlane.GetAsync("/v1/stats")).StatusCode);

        // and the control plane, which pins the registered certificate, reaches it: `orc top nodes` goes through the agent
        var top = await cluster.Orc("top", "nodes");
        Assert.True(top.ExitCode == 0, top.ToString());
        Assert.Contains(cluster.NodeName, top.Stdout);
    }

    [Fact]
    public async Task Silo_and_gateway_speak_tls_with_the_silo_certificate_on_the_advertise_address_only()
    {
        foreach (var port in new[] { cluster.ControlPlane.SiloPort, cluster.ControlPlane.GatewayPort })
        {
            Assert.Equal([IPAddress.Loopback], ListeningAddresses(port));

            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            X509Certificate2? presented = null;
            await using var ssl = new SslStream(client.GetStream(), false, (_, c, _, _) =>
            {
                presented = c is null ? null : new X509Certificate2(c);
                return true;
            });
            using var silo = RunCa().IssuePeer(TlsNames.Silo, [], [IPAddress.Loopback], DateTimeOffset.UtcNow);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", ClientCertificates = [silo] });
            Assert.NotNull(presented);
            Assert.Equal(TlsNames.Silo, presented!.GetNameInfo(X509NameType.SimpleName, false));
            Assert.True(cluster.Tls.Trust.Verifies(presented, Oids.ServerAuth), $"port {port}: the silo's certificate does not chain to the cluster CA");
        }
    }

    /// <summary>The local addresses sockets listen on for <paramref name="port"/>, from /proc/net/tcp and tcp6.</summary>
    private static List<IPAddress> ListeningAddresses(int port)
    {
        var found = new List<IPAddress>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] != "0A") continue; // LISTEN
                var local = fields[1].Split(':');
                if (Convert.ToInt32(local[1], 16) != port) continue;
                var bytes = Convert.FromHexString(local[0]);
                // /proc prints each 32-bit word in host (little-endian) order
                for (var i = 0; i < bytes.Length; i += 4) Array.Reverse(bytes, i, 4);
                found.Add(new IPAddress(bytes));
            }
        return found;
    }
}
