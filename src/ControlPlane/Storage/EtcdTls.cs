using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Orchestrator.Tls;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>
/// etcd client TLS from PEM files (--etcd-ca, --etcd-cert/--etcd-key), for an etcd that serves https:// client URLs.
/// Every file is optional: without a CA the machine's trust store decides; without a client certificate none is sent.
/// </summary>
public sealed record EtcdTls(string? CaFile, string? CertFile, string? KeyFile)
{
    public static EtcdTls FromOptions(ControlPlaneOptions options) => new(options.EtcdCa, options.EtcdCert, options.EtcdKey);

    public bool Configured => !string.IsNullOrEmpty(CaFile) || !string.IsNullOrEmpty(CertFile);

    /// <summary>Sets the gRPC channel's handler to one that verifies etcd against the CA and presents our certificate.</summary>
    public void Apply(GrpcChannelOptions channel)
    {
        if (!Configured) return;
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (!string.IsNullOrEmpty(CaFile))
        {
            var trust = ClusterTrust.FromFile(CaFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                trust.VerifiesServer(certificate is null ? null : new X509Certificate2(certificate), errors);
        }
        if (!string.IsNullOrEmpty(CertFile) && !string.IsNullOrEmpty(KeyFile))
            handler.SslOptions.ClientCertificates = [PemFiles.ReadCertificateWithKey(CertFile, KeyFile)];
        channel.HttpHandler = handler;
        // dotnet-etcd dials through a static resolver (static://NAME) whose scheme says nothing: without secure
        // credentials gRPC would speak h2c (plain HTTP/2) to etcd's TLS port.
        channel.Credentials = ChannelCredentials.SecureSsl;
    }
}
