namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// The one place where placements are decided and written (key 0). Serializing placement across services
/// is what keeps two services from filling the same free memory at once (Nomad's plan applier plays this role).
/// </summary>
public interface IPlacementGrain : IGrainWithIntegerKey
{
    /// <remarks>
    /// Five minutes rather than Orleans' 30 s: placements wait in this grain's queue one behind the other, and 30
    /// services of 1,000 applied at once wait longer than 30 s for their turn; a request that outlives its time-out is
    /// dropped unplaced from the queue, and its service then waits for the next periodic pass.
    /// </remarks>
    [ResponseTimeout("00:05:00")]
    Task<PlacementSummary> Place(string ns, string service, int[] slots, string? traceParent);
}

[GenerateSerializer, Immutable]
public sealed record PlacementSummary(
    [property: Id(0)] int Placed,
    [property: Id(1)] int Unplaced,
    [property: Id(2)] string? Explanation,
    [property: Id(3)] string[] Placements);
