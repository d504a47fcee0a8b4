using Orchestrator.Tls;

namespace Orchestrator.Orc;

/// <summary>
/// Starts, beside the parsing, the part of the first TLS handshake that does not need the server: in a new .NET process
/// on Linux the platform loads every root certificate of the machine's store (/etc/ssl/certs) before it can build any
/// chain, even one to the cluster CA alone, and the X509 code runs for the first time. That costs about 0.1 s of CPU
/// per `orc` run; on a second core it is done by the time the request goes out. Nothing is decided here: the handshake
/// checks the server as before (<see cref="ClusterTrust.Handler"/>), and a CA file that cannot be read is reported there.
/// </summary>
public static class TlsWarmUp
{
    /// <summary>
    /// Starts the warm-up when a cluster CA is configured (ORC_CA or the config file; a --ca-file flag is parsed later,
    /// and without the warm-up the handshake only takes its usual time). Neither it nor its task ever fails: nobody
    /// waits for it.
    /// </summary>
    public static Task Start(CliEnvironment environment)
    {
        string? ca;
        try { ca = ClusterCaFile.Resolve(null, environment); }
        catch (CliException) { return Task.CompletedTask; }
        if (ca is null) return Task.CompletedTask;
        return Task.Run(() =>
        {
            try
            {
                var trust = ClusterTrust.FromFile(ca);
                trust.Verifies(trust.Ca, Oids.ServerAuth);
            }
            catch (Exception)
            {
                // The command reads the file again and says what is wrong with it.
            }
        });
    }
}
