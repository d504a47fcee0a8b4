using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Auth;

/// <summary>Who sent a request, as its token proved; <see cref="Anonymous"/> when it carried none that is valid.</summary>
public sealed record Caller(string? Role, string? Node = null, string? TokenId = null)
{
    public static readonly Caller Anonymous = new((string?)null);

    public bool IsAdmin => Role == TokenRoles.Admin;
    public bool IsNode => Role == TokenRoles.Node;

    public override string ToString() => Role switch
    {
        null => "an anonymous caller",
        TokenRoles.Node => $"node \"{Node}\"",
        _ => $"a {Role} token ({TokenId})",
    };
}
