namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// The one place where placements are decided and written (key 0). Serializing placement across services
/// is what keeps two services from filling the same free memory at once (Nomad's plan applier plays this role).
/// </summary>
public interface IPlacementGrain : IGrainWithIntegerKey
{
    Task<PlacementSummary> Place(string ns, string service, int[] slots, string? traceParent);
}

[GenerateSerializer, Immutable]
public sealed record PlacementSummary(
    [property: Id(0)] int Placed,
    [property: Id(1)] int Unplaced,
    [property: Id(2)] string? Explanation,
    [property: Id(3)] string[] Placements);
