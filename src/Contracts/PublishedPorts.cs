namespace Orchestrator.Contracts;

/// <summary>
/// A service's claim on a port of every node (spec.ports[].publishedPort) and where it was written. One port and protocol
/// belongs to one service cluster-wide: a second claim, in the same apply or against a stored service, is refused at
/// its file:line:column.
/// </summary>
public sealed record PublishedPortClaim(string Namespace, string Service, int Port, string Protocol, ValidationError Where)
{
    /// <summary>The error for <paramref name="claim"/> when another service of <paramref name="earlier"/> holds its port, or null.</summary>
    public static ValidationError? Conflict(PublishedPortClaim claim, IEnumerable<PublishedPortClaim> earlier) =>
        earlier.FirstOrDefault(e => e.Port == claim.Port && e.Protocol == claim.Protocol && (e.Namespace, e.Service) != (claim.Namespace, claim.Service)) is { } other
            ? claim.Where with
            {
                Message = $"publishedPort {claim.Port}/{claim.Protocol} is already claimed by service {other.Namespace}/{other.Service}"
                    + (other.Where.Line > 0 ? $" at {other.Where.File}:{other.Where.Line}:{other.Where.Column}" : "")
                    + "; every node opens a published port for one service only, so pick another from "
                    + $"{ManifestLimits.MinPublishedPort} to {ManifestLimits.MaxPublishedPort}",
            }
            : null;

    /// <summary>Claims of an apply against the services already stored (those the apply itself rewrites count as theirs).</summary>
    public static List<ValidationError> Conflicts(IReadOnlyList<PublishedPortClaim> claims, IEnumerable<ServiceObject> stored)
    {
        var applied = claims.Select(c => (c.Namespace, c.Service)).ToHashSet();
        var held = stored.Where(s => !applied.Contains((s.Metadata.Namespace, s.Metadata.Name)))
            .SelectMany(s => s.Spec.Ports.Where(p => p.PublishedPort is not null).Select(p =>
                new PublishedPortClaim(s.Metadata.Namespace, s.Metadata.Name, p.PublishedPort!.Value, p.Protocol, new ValidationError())))
            .ToList();
        return claims.Select(c => Conflict(c, held)).OfType<ValidationError>().ToList();
    }
}
