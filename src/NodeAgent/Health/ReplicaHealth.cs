namespace Orchestrator.NodeAgent.Health;

/// <summary>What the probes of a replica's current container last found; the status report reads it.</summary>
/// <param name="Ready">The readiness probe passes; false until its first successThreshold successes.</param>
/// <param name="LastProbe">The latest result of either probe, like "readiness: HTTP 200".</param>
public sealed record ReplicaHealth(bool Ready, string? LastProbe);
