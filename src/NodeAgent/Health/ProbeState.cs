using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Health;

/// <summary>
/// The thresholds of one probe on one container as a small state machine, free of I/O and time: it passes after
/// successThreshold consecutive successes and fails after failureThreshold consecutive failures, like Kubernetes.
/// A liveness probe starts passing (a container is alive until proven otherwise); a readiness probe starts failing
/// (nobody is sent traffic before the first success).
/// </summary>
public sealed class ProbeState(Probe probe, bool passing)
{
    public static ProbeState Liveness(Probe probe) => new(probe, passing: true);
    public static ProbeState Readiness(Probe probe) => new(probe, passing: false);

    public bool Passing { get; private set; } = passing;
    public int ConsecutiveFailures { get; private set; }
    public int ConsecutiveSuccesses { get; private set; }

    /// <summary>Counts one result; true when it turned the probe from passing to failing or back.</summary>
    public bool Record(bool success)
    {
        if (success)
        {
            ConsecutiveSuccesses++;
            ConsecutiveFailures = 0;
            if (Passing || ConsecutiveSuccesses < probe.SuccessThreshold) return false;
            Passing = true;
            return true;
        }
        ConsecutiveFailures++;
        ConsecutiveSuccesses = 0;
        if (!Passing || ConsecutiveFailures < probe.FailureThreshold) return false;
        Passing = false;
        return true;
    }
}
