namespace Orchestrator.ControlPlane.Clustering;

/// <summary>Where the Orleans membership table lives in etcd.</summary>
public sealed class EtcdClusteringOptions
{
    /// <summary>The etcd client endpoint of a single-machine install.</summary>
    public const string DefaultConnectionString = "http://127.0.0.1:2379";

    /// <summary>Parent of every cluster's table; the table itself is <c>{KeyPrefix}{ClusterId}/</c>.</summary>
    public const string DefaultKeyPrefix = "/orchestrator/orleans/";

    /// <summary>
    /// etcd client URL(s). Several members of one etcd cluster are separated by commas,
    /// e.g. <c>http://10.0.0.1:2379,http://10.0.0.2:2379,http://10.0.0.3:2379</c>.
    /// Default <see cref="DefaultConnectionString"/>.
    /// </summary>
    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>
    /// Key prefix under which each Orleans cluster keeps its table, so that
    /// <c>etcdctl get --prefix /orchestrator/orleans/</c> shows the membership to a person.
    /// Must start and end with '/'. Default <see cref="DefaultKeyPrefix"/>.
    /// </summary>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>etcd client TLS, when etcd serves https (the control plane's --etcd-ca/--etcd-cert/--etcd-key). Default: none.</summary>
    public Storage.EtcdTls? Tls { get; set; }

    /// <summary>Every reason these options cannot work; empty when they can.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var endpoints = (ConnectionString ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (endpoints.Length == 0)
        {
            problems.Add($"{nameof(ConnectionString)} must name at least one etcd endpoint, e.g. {DefaultConnectionString}");
        }

        foreach (var endpoint in endpoints)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"{nameof(ConnectionString)}: '{endpoint}' is not an http(s) URL, e.g. {DefaultConnectionString}");
            }
        }

        if (string.IsNullOrEmpty(KeyPrefix) || !KeyPrefix.StartsWith('/') || !KeyPrefix.EndsWith('/'))
        {
            problems.Add($"{nameof(KeyPrefix)} must start and end with '/', e.g. {DefaultKeyPrefix}, got '{KeyPrefix}'");
        }

        return problems;
    }
}
