namespace Orchestrator.NodeAgent.Runtime;

/// <summary>A lifecycle change of a managed container (die, destroy, start, oom) the agent reacts to at once.</summary>
public sealed record ContainerEvent(string Action, string ContainerId, string? ReplicaId, DateTimeOffset Time);
