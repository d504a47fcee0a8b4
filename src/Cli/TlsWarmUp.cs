using Orchestrator.Tls;

namespace Orchestrator.Orc;

/// <summary>
/// Starts, beside the parsing, the part of the first TLS handshake that does not need the server: in a new .NET process
/// on Linux the platform loads every root certificate of the machine's store (/etc/ssl/certs) before it can build any
/// chain, even one to the cluster CA alone, and the X509 code runs for the first time. That is about 0.1 s of the 0.2 s
/// of CPU the first handshake costs each `orc` run; with a core to spare it is done by the time the request goes out.
/// Nothing is decided here: the handshake checks the server as before (<see cref="ClusterTrust.Handler"/>), and a CA
/// file that is missing or unreadable is reported by the command, not here.
/// </summary>
public static class TlsWarmUp
{
    /// <summary>
    /// Warms up when a cluster CA is configured (ORC_CA or the config file; a --ca-file flag is parsed later, and without
    /// the warm-up the handshake only takes its usual time). The task says whether it did; it never fails, and nobody
    /// needs to wait for it.
    /// </summary>
    public static Task<bool> Start(CliEnvironment environment) => Task.Run(() =>
    {
        try
        {
            if (ClusterCaFile.Resolve(null, environment) is not { } ca) return false;
            var trust = ClusterTrust.FromFile(ca);
            trust.Verifies(trust.Ca, Oids.ServerAuth);
            return true;
        }
        catch (Exception)
        {
            // The command resolves and reads the CA again and says what is wrong with it.
            return false;
        }
    });
}
