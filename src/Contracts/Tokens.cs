namespace Orchestrator.Contracts;

/// <summary>What a bearer token may do (docs/security.md, "Who may call what").</summary>
public static class TokenRoles
{
    /// <summary>Everything.</summary>
    public const string Admin = "admin";
    /// <summary>Reads everything except secrets and logs.</summary>
    public const string Viewer = "viewer";
    /// <summary>Only exchanges itself for a node credential (POST /api/v1/nodes/{name}/join), like a Kubernetes bootstrap token.</summary>
    public const string Join = "join";
    /// <summary>A node's own credential: the node routes of its own name, nothing else.</summary>
    public const string Node = "node";

    /// <summary>The roles a person asks for with POST /api/v1/tokens; node credentials come only from a join.</summary>
    public static readonly IReadOnlyList<string> Issuable = [Admin, Viewer, Join];
}

/// <summary>POST /api/v1/tokens.</summary>
public sealed record TokenRequest
{
    public string Role { get; init; } = "";
    /// <summary>How long the token lives ("24h", "30m"); null: until revoked.</summary>
    public string? Ttl { get; init; }
}

/// <summary>A token as listed: never its secret.</summary>
public sealed record TokenView
{
    public string Id { get; init; } = "";
    public string Role { get; init; } = "";
    /// <summary>The node a node credential is bound to.</summary>
    public string? Node { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A token just made: the only answer that carries its text.</summary>
public sealed record IssuedToken
{
    /// <summary>"orc.ID.SECRET", sent as "Authorization: Bearer ...".</summary>
    public string Token { get; init; } = "";
    public TokenView Info { get; init; } = new();
}
