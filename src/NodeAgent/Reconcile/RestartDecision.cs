using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Reconcile;

/// <summary>What to do with a container that exited on its own (or was stopped by a failed liveness probe).</summary>
public enum RestartVerdict
{
    /// <summary>Start it again, after the back-off.</summary>
    Restart,
    /// <summary>on-failure with maxAttempts used up: leave it stopped and report the replica Failed.</summary>
    GiveUp,
    /// <summary>never, or on-failure after a clean exit: leave it stopped and report it Exited with its code.</summary>
    LeaveStopped,
}

/// <summary>The restart policy as a pure function of the exit code and the restarts already made.</summary>
public static class RestartDecision
{
    public static RestartVerdict Decide(RestartPolicy? policy, int exitCode, int restarts)
    {
        var p = policy ?? RestartPolicy.Default;
        return p.Condition switch
        {
            RestartCondition.Never => RestartVerdict.LeaveStopped,
            RestartCondition.OnFailure when exitCode == 0 => RestartVerdict.LeaveStopped,
            RestartCondition.OnFailure when p.MaxAttempts > 0 && restarts >= p.MaxAttempts => RestartVerdict.GiveUp,
            _ => RestartVerdict.Restart,
        };
    }

    /// <summary>"exited with code 1; gave up after 3 restarts": the message a person sees on a Failed replica.</summary>
    public static string GaveUp(int exitCode, int restarts) =>
        $"exited with code {exitCode}; gave up after {restarts} restart{(restarts == 1 ? "" : "s")}";
}
