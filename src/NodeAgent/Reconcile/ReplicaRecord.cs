namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>
/// What the agent itself knows about a replica beyond the engine: how often it restarted it (Docker's own
/// RestartCount only counts engine restart policies, which the agent does not use) and why its last
/// create or start failed. Kept in memory for the life of the process.
/// </summary>
public sealed record ReplicaRecord(int RestartCount, string? Failure);
