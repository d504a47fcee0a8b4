namespace Orchestrator.NodeAgent.Health;

/// <summary>What the probes of a replica's current container last found; the status report reads it.</summary>
/// <param name="Ready">The readiness probe passes; false until its first successThreshold successes.</param>
/// <param name="LastProbe">The latest result of either probe, like "readiness: HTTP 200".</param>
/// <param name="ReadySince">When the readiness probe last turned passing; null while it fails.</param>
/// <param name="ReadinessFailures">Consecutive readiness failures, counted up to the probe's failureThreshold.</param>
public sealed record ReplicaHealth(bool Ready, string? LastProbe, DateTimeOffset? ReadySince = null, int ReadinessFailures = 0);
