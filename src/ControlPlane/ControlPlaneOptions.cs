using Orchestrator.ControlPlane.Nodes;

namespace Orchestrator.ControlPlane;

/// <summary>Settings of one control-plane process (section "ControlPlane"; flags in Program.SwitchMappings).</summary>
public sealed class ControlPlaneOptions
{
    /// <summary>etcd client URL(s), comma separated. Default: the local etcd.</summary>
    public string Etcd { get; set; } = "http://127.0.0.1:2379";
    /// <summary>Every key of this cluster lives under it.</summary>
    public string KeyPrefix { get; set; } = "/orchestrator";
    /// <summary>"etcd": Orleans membership in etcd (several control planes form one cluster); "localhost": one process alone.</summary>
    public string Clustering { get; set; } = "etcd";
    /// <summary>Orleans cluster id; control planes with the same id and etcd form one cluster.</summary>
    public string ClusterId { get; set; } = "orchestrator";
    /// <summary>Address other control planes reach this one's silo on.</summary>
    public string AdvertiseAddress { get; set; } = "127.0.0.1";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    /// <summary>How often every service is reconciled even if nothing asked for it.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How often an idle assignment stream sends a bookmark, so that agents notice a dead connection.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How much of etcd's history is kept: every interval the cluster's compactor drops what is older than one interval
    /// (Kubernetes: 5 min). An agent or a watcher away for longer relists; 0 turns compaction off.
    /// </summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Heartbeat silence thresholds: NotReady after 5 s, Down (replicas replaced) after 10 s.</summary>
    public NodeLifecycleOptions Nodes { get; set; } = new();


    /// <summary>
    /// The key file that seals secrets (docs/secrets.md): made at first start (0600); every control plane of a cluster
    /// needs the same one. Default: DataDir/encryption.key.
    /// </summary>
    public string EncryptionKeyFile { get; set; } = "";

    public string EncryptionKeyPath => EncryptionKeyFile.Length > 0 ? EncryptionKeyFile : Path.Combine(DataDir ?? "", "encryption.key");

    /// <summary>The largest request body the API reads (413 above it). Default 4 MiB, what `orc` checks before sending.</summary>
    public long MaxRequestBytes { get; set; } = Contracts.ManifestLimits.MaxRequestBytes;

    /// <summary>
    /// A directory for the files this control plane keeps outside etcd (the admin token file, the key file that
    /// seals secrets by default, and the cluster CA: ca.crt, ca.key 0600, unless --ca-cert/--ca-key are given).
    /// No default: required unless each of those files is named on its own.
    /// </summary>
    public string? DataDir { get; set; }

    /// <summary>
    /// The first admin token: read when the file exists (several control planes given one file agree), else generated
    /// and written 0600. Default DATA_DIR/admin.token.
    /// </summary>
    public string? AdminTokenFile { get; set; }

    /// <summary>The admin token file in use; null only when neither setting is given (a validation error).</summary>
    public string? AdminTokenPath => AdminTokenFile ?? (DataDir is { } d ? Path.Combine(d, "admin.token") : null);

    /// <summary>The cluster network's range: each node gets a /24 of it for its replicas (docs/networking.md). Default 10.240.0.0/16, 256 nodes.</summary>
    public string ClusterCidr { get; set; } = "10.240.0.0/16";

    /// <summary>Where services' virtual IPs come from, one per service (docs/networking.md). Default 10.241.0.0/16.</summary>
    public string ServiceCidr { get; set; } = "10.241.0.0/16";

    /// <summary>A cluster CA given by the operator (PEM certificate and key, both or neither); control planes given the same files share it.</summary>
    public string? CaCert { get; set; }
    public string? CaKey { get; set; }
    /// <summary>More names (IP addresses or DNS names, comma separated) the API certificate is valid for.</summary>
    public string TlsSan { get; set; } = "";

    /// <summary>etcd client TLS (PEM files): the CA etcd's certificate chains to, and our client certificate and key. All optional.</summary>
    public string? EtcdCa { get; set; }
    public string? EtcdCert { get; set; }
    public string? EtcdKey { get; set; }

    public IReadOnlyList<string> TlsSans() => TlsSan.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<string> Validate()
    {
        if (AdminTokenPath is null)
            yield return "--data-dir: required (a directory for the admin token file and other files kept outside etcd), or give --admin-token-file";
        foreach (var p in Nodes.Validate()) yield return p;
        if (NodeSubnets.Problem(ClusterCidr) is { } cidrProblem) yield return cidrProblem;
        if (Network.ServiceIps.Problem(ServiceCidr, ClusterCidr) is { } serviceCidrProblem) yield return serviceCidrProblem;
        foreach (var url in Etcd.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
                yield return $"--etcd: \"{url}\" is not an http(s) URL like http://127.0.0.1:2379";
        if (string.IsNullOrWhiteSpace(DataDir) && EncryptionKeyFile.Length == 0) yield return "--data-dir: must name a folder (or give --encryption-key-file and --admin-token-file)";
        if (!KeyPrefix.StartsWith('/')) yield return $"--key-prefix: must start with '/', got \"{KeyPrefix}\"";
        if (Clustering is not ("etcd" or "localhost")) yield return $"--clustering: must be etcd or localhost, got \"{Clustering}\"";
        if (!System.Net.IPAddress.TryParse(AdvertiseAddress, out _)) yield return $"--advertise: must be an IP address, got \"{AdvertiseAddress}\"";
        if (SiloPort is < 1 or > 65535) yield return $"--silo-port: must be 1..65535, got {SiloPort}";
        if (GatewayPort is < 1 or > 65535) yield return $"--gateway-port: must be 1..65535, got {GatewayPort}";
        if (ReconcileInterval < TimeSpan.FromMilliseconds(100)) yield return $"ReconcileInterval: must be at least 100ms, got {ReconcileInterval}";
        if (MaxRequestBytes is < 64 << 10 or > 1L << 30) yield return $"--max-request-bytes: must be from 65536 (64 KiB) to 1073741824 (1 GiB), got {MaxRequestBytes}";
        if (string.IsNullOrWhiteSpace(DataDir) && string.IsNullOrEmpty(CaCert))
            yield return "--data-dir: required for the cluster CA (ca.crt, ca.key are created there), or give --ca-cert and --ca-key";
        if (string.IsNullOrEmpty(CaCert) != string.IsNullOrEmpty(CaKey))
            yield return "--ca-cert and --ca-key: give both (the cluster CA's PEM certificate and its key) or neither (a CA is created in --data-dir)";
        if (string.IsNullOrEmpty(EtcdCert) != string.IsNullOrEmpty(EtcdKey))
            yield return "--etcd-cert and --etcd-key: give both (our PEM client certificate for etcd and its key) or neither";
        foreach (var (flag, file) in new[] { ("--ca-cert", CaCert), ("--ca-key", CaKey), ("--etcd-ca", EtcdCa), ("--etcd-cert", EtcdCert), ("--etcd-key", EtcdKey) })
            if (!string.IsNullOrEmpty(file) && !File.Exists(file)) yield return $"{flag}: no file {file}";
        foreach (var san in TlsSans())
            if (System.Uri.CheckHostName(san) is UriHostNameType.Unknown) yield return $"--tls-san: \"{san}\" is neither an IP address nor a DNS name";
        if (BookmarkInterval < TimeSpan.FromMilliseconds(100)) yield return $"BookmarkInterval: must be at least 100ms, got {BookmarkInterval}";
        if (CompactionInterval != TimeSpan.Zero && CompactionInterval < TimeSpan.FromSeconds(10))
            yield return $"CompactionInterval: must be 0 (off) or at least 10s, got {CompactionInterval}";
    }
}
