using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Auth;

/// <summary>A token's record in etcd (tokens/ID): its role, the node it is bound to, and the hash of its secret.</summary>
public sealed record StoredToken
{
    public string Id { get; init; } = "";
    public string Role { get; init; } = "";
    public string? Node { get; init; }
    public string SecretSha256 { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    public bool ExpiredAt(DateTimeOffset now) => ExpiresAt is { } e && e <= now;

    public TokenView View() => new() { Id = Id, Role = Role, Node = Node, CreatedAt = CreatedAt, ExpiresAt = ExpiresAt };
}
