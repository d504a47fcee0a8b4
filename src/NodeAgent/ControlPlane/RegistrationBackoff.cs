namespace Orchestrator.NodeAgent.ControlPlane;

/// <summary>
/// How long an agent waits between registrations that failed: the heartbeat interval, doubled at each failure up to
/// <see cref="Cap"/> (kubelet backs off its node registration too). A control plane slowed by a thousand agents
/// registering at once answered some of them after their 5 s time-out; each then registered again every second, and
/// every abandoned registration still queued in the node's grain: the queue only grew. Heartbeats keep their pace.
/// </summary>
public static class RegistrationBackoff
{
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(16);

    /// <summary>The wait after one more failure, given the last one (zero: none yet).</summary>
    public static TimeSpan Next(TimeSpan previous, TimeSpan interval) =>
        previous <= TimeSpan.Zero ? interval : TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, Math.Max(Cap.Ticks, interval.Ticks)));

    /// <summary>Spread by ±20 % so that agents that failed together do not come back together.</summary>
    public static TimeSpan Jittered(TimeSpan wait, double unit) => wait * (0.8 + 0.4 * Math.Clamp(unit, 0, 1));
}
