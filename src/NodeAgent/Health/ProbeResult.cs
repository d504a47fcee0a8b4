namespace Orchestrator.NodeAgent.Health;

/// <summary>One probe run: passed or not, and what it saw in words ("HTTP 500", "exit code 1", "timed out after 1s").</summary>
public sealed record ProbeResult(bool Success, string Detail);
