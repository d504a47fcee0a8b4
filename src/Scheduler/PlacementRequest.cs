using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>
/// Place one replica of <paramref name="Container"/> per entry of <paramref name="Slots"/>.
/// <paramref name="EvaluationId"/> seeds the tie-break and the node order, so the same snapshot and id give the same placements.
/// <paramref name="Placement"/> is the service's spec.placement (null: anywhere, spread strategy); <paramref name="Labels"/>
/// are its metadata.labels, which affinity terms (its own and, once placed, other services') match against.
/// <paramref name="VolumeNodes"/>: slot -> the node that holds that slot's persistent volume (<see cref="VolumeAffinity"/>).
/// </summary>
public sealed record PlacementRequest(
    string Namespace, string Service, ContainerSpec Container, IReadOnlyList<int> Slots, string EvaluationId,
    PlacementSpec? Placement = null, IReadOnlyDictionary<string, string>? Labels = null,
    IReadOnlyDictionary<int, string>? VolumeNodes = null);
