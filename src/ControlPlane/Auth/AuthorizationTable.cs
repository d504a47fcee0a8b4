namespace Orchestrator.ControlPlane.Auth;

/// <summary>One route and who may call it.</summary>
public sealed record RouteRule(string Method, string Pattern, Access Access, string What);

/// <summary>
/// Every route of the control plane and who may call it: the one place that decides (Kubernetes' RBAC and Node
/// authorizer in one table). A route without a row is refused (403) at run time, and a test enumerates ASP.NET's
/// endpoints and fails for any route missing here; docs/security.md holds the same table, compared by a test.
/// </summary>
public static class AuthorizationTable
{
    private const string Service = "/api/v1/namespaces/{ns}/services/{name}";
    private const string Node = "/api/v1/nodes/{name}";
    /// <summary>A replica by id or name, or a service whose running replica is meant (exec and port-forward).</summary>
    private const string Replica = "/api/v1/namespaces/{ns}/replicas/{target}";
    /// <summary>A row whose pattern ends with it stands for every route under the pattern (a library's many routes).</summary>
    public const string Prefix = "*";

    public static readonly IReadOnlyList<RouteRule> Rules =
    [
        new("GET", "/healthz", Access.Anonymous, "liveness"),
        new("GET", "/readyz", Access.Anonymous, "readiness (no error text)"),
        new("*", "/metrics", Access.Viewer, "Prometheus metrics (any method, as the exporter maps it)"),
        new("GET", "/ui/login", Access.Anonymous, "the login form"),
        new("POST", "/ui/login", Access.Anonymous, "checks a token and sets the session cookie"),
        new("POST", "/ui/logout", Access.Anonymous, "clears the session cookie"),
        new("GET", "/ui", Access.Viewer, "status page"),
        new("GET", "/ui/{file}", Access.Viewer, "status page files"),
        new("GET", "/orleans-dashboard", Access.Admin, "Orleans dashboard (it shows grain state)"),
        new("GET", "/orleans-dashboard/" + Prefix, Access.Admin, "every route of the Orleans dashboard under it"),

        new("GET", "/api/v1/version", Access.Viewer, "server build"),
        new("GET", "/api/v1/overview", Access.Viewer, "status page data"),
        new("POST", "/api/v1/apply", Access.Admin, "create or update objects"),
        new("POST", "/api/v1/delete", Access.Admin, "delete the objects of manifests"),
        new("GET", "/api/v1/services", Access.Viewer, "list services"),
        new("GET", Service, Access.Viewer, "one service"),
        new("DELETE", Service, Access.Admin, "delete a service"),
        new("PUT", Service + "/scale", Access.Admin, "scale"),
        new("GET", Service + "/revisions", Access.Viewer, "rollout history"),
        new("PUT", Service + "/rollout/pause", Access.Admin, "pause a rollout"),
        new("PUT", Service + "/rollout/resume", Access.Admin, "resume a rollout"),
        new("POST", Service + "/rollout/undo", Access.Admin, "roll back"),
        new("GET", Service + "/logs", Access.Admin, "container logs (not for viewers)"),
        new("GET", Replica + "/exec", Access.Admin, "run a command in a replica's container (WebSocket, relayed to its agent)"),
        new("GET", Replica + "/portforward", Access.Admin, "a TCP connection to a replica's port (WebSocket, relayed to its agent)"),
        new("GET", "/api/v1/watch/services", Access.Viewer, "watch services"),
        new("GET", "/api/v1/watch/replicas", Access.Viewer, "watch replicas"),
        new("GET", "/api/v1/replicas", Access.Viewer, "list replicas"),
        new("GET", "/api/v1/endpoints", Access.ViewerOrNode, "services' virtual IPs and ready replica IPs (agents balance and answer DNS with them)"),
        new("GET", "/api/v1/events", Access.Viewer, "list events"),
        new("GET", "/api/v1/top/nodes", Access.Viewer, "node usage"),
        new("GET", "/api/v1/top/services", Access.Viewer, "service usage"),
        new("GET", "/api/v1/containers", Access.Viewer, "running containers"),
        new("GET", "/api/v1/volumes", Access.Viewer, "list volumes (asks every node's agent)"),
        new("DELETE", "/api/v1/volumes/{name}", Access.Admin, "remove a volume and its data (refused while in use)"),
        new("GET", "/api/v1/nodes", Access.ViewerOrNode, "list nodes (agents read their peers' subnets)"),
        new("GET", Node, Access.Viewer, "one node"),
        new("DELETE", Node, Access.Admin, "remove a node and revoke its credential"),
        new("PUT", Node + "/cordon", Access.Admin, "cordon"),
        new("PUT", Node + "/uncordon", Access.Admin, "uncordon"),
        new("PUT", Node + "/drain", Access.Admin, "drain"),
        new("GET", "/api/v1/secrets", Access.Admin, "list secrets (keys and sizes, never values; not for viewers)"),
        new("GET", "/api/v1/namespaces/{ns}/secrets/{name}", Access.Admin, "one secret (keys and sizes, never values)"),
        new("DELETE", "/api/v1/namespaces/{ns}/secrets/{name}", Access.Admin, "delete a secret"),
        new("POST", "/api/v1/secrets/rotate-key", Access.Admin, "re-seal every secret with a new key"),
        new("GET", "/api/v1/configs", Access.Viewer, "list configs"),
        new("GET", "/api/v1/namespaces/{ns}/configs/{name}", Access.Viewer, "one config with its data"),
        new("DELETE", "/api/v1/namespaces/{ns}/configs/{name}", Access.Admin, "delete a config"),
        new("GET", "/api/v1/releases", Access.Viewer, "list chart releases"),
        new("GET", "/api/v1/namespaces/{ns}/releases/{name}/history", Access.Viewer, "a release's revisions"),
        new("POST", "/api/v1/namespaces/{ns}/releases/{name}", Access.Admin, "install or upgrade a release"),
        new("POST", "/api/v1/namespaces/{ns}/releases/{name}/rollback", Access.Admin, "roll a release back"),
        new("DELETE", "/api/v1/namespaces/{ns}/releases/{name}", Access.Admin, "uninstall a release"),
        new("POST", "/api/v1/tokens", Access.Admin, "create a token"),
        new("GET", "/api/v1/tokens", Access.Admin, "list tokens (never their secrets)"),
        new("DELETE", "/api/v1/tokens/{id}", Access.Admin, "revoke a token"),

        new("POST", Node + "/join", Access.Join, "exchange a join token for the node's credential"),
        new("PUT", Node, Access.NodeSelf, "register"),
        new("POST", Node + "/heartbeat", Access.NodeSelf, "heartbeat"),
        new("POST", Node + "/status", Access.NodeSelf, "report replica statuses (only replicas assigned to it)"),
        new("GET", Node + "/assignments", Access.NodeSelf, "the node's assignment stream"),
        new("GET", Node + "/network", Access.NodeSelf, "nodes' subnets and services' endpoints, a long poll answered at each change (the agent's rules and DNS)"),
        new("GET", Node + "/secrets/{ns}/{secret}", Access.NodeOnly, "a secret's values, only while a replica assigned to the node uses it"),
        new("GET", Node + "/configs/{ns}/{config}", Access.NodeOnly, "a config's values, only while a replica assigned to the node uses it"),
    ];

    private static readonly Dictionary<(string, string), RouteRule> ByRoute =
        Rules.ToDictionary(r => (r.Method, r.Pattern));

    /// <summary>The row of a route as ASP.NET names it (its pattern's text, "/api/v1/nodes/{name}/"), or null.</summary>
    public static RouteRule? Find(string method, string? pattern)
    {
        if (pattern is null) return null;
        var route = Normalize(pattern);
        return ByRoute.GetValueOrDefault((method, route)) ?? ByRoute.GetValueOrDefault(("*", route))
            ?? Rules.FirstOrDefault(r => r.Pattern.EndsWith("/" + Prefix, StringComparison.Ordinal) && r.Method == method
                && route.StartsWith(r.Pattern[..^Prefix.Length], StringComparison.Ordinal));
    }

    /// <summary>The table as docs/security.md shows it (a test compares the two).</summary>
    public static IEnumerable<string> Markdown()
    {
        yield return "| method | route | who may call it | what |";
        yield return "|---|---|---|---|";
        foreach (var r in Rules) yield return $"| {r.Method} | `{r.Pattern}` | {Who(r.Access)} | {r.What} |";
    }

    public static string Who(Access access) => access switch
    {
        Access.Anonymous => "anyone",
        Access.Viewer => "viewer, admin",
        Access.ViewerOrNode => "viewer, admin, any node",
        Access.Admin => "admin",
        Access.NodeSelf => "the node itself, admin",
        Access.NodeOnly => "the node itself only (while a replica assigned to it uses the object)",
        Access.Join => "join token, admin",
        _ => throw new ArgumentOutOfRangeException(nameof(access)),
    };

    /// <summary>Group prefixes leave a trailing '/' or a missing leading one; the table writes each route one way.</summary>
    public static string Normalize(string pattern) => "/" + pattern.Trim('/');
}
