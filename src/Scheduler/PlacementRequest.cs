using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// Place one replica of <paramref name="Container"/> per entry of <paramref name="Slots"/>.
/// <paramref name="EvaluationId"/> seeds the tie-break, so the same snapshot and id give the same placements.
/// </summary>
public sealed record PlacementRequest(
    string Namespace, string Service, ContainerSpec Container, IReadOnlyList<int> Slots, string EvaluationId);
