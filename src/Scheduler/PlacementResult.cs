namespace Orchestrator.Scheduler;

/// <summary>One slot assigned to a node; <paramref name="Reason"/> is what `orc describe` shows, e.g. "score 87: least allocated 0.91, service spread 1.00".</summary>
public sealed record Placement(int Slot, string Node, string Reason);

/// <summary>A slot no node could take; <paramref name="Explanation"/> reads like "0/5 nodes available: 3 insufficient memory, 2 node not ready".</summary>
public sealed record Unplaced(int Slot, string Explanation);

/// <summary>Every slot of the request ends up in exactly one of the two lists, in request order.</summary>
public sealed record PlacementResult(IReadOnlyList<Placement> Placements, IReadOnlyList<Unplaced> Unplaced);
