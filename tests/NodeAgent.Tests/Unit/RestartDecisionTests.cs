using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Reconcile;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class RestartDecisionTests
{
    private static readonly RestartPolicy Always = new();
    private static readonly RestartPolicy OnFailure = new() { Condition = RestartCondition.OnFailure };
    private static readonly RestartPolicy OnFailure3 = new() { Condition = RestartCondition.OnFailure, MaxAttempts = 3 };
    private static readonly RestartPolicy Never = new() { Condition = RestartCondition.Never };

    public sealed record Case(string Name, RestartPolicy? Policy, int ExitCode, int Restarts, RestartVerdict Want)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("no policy: restart a clean exit", null, 0, 0, RestartVerdict.Restart),
        new("no policy: restart a crash, however often", null, 1, 500, RestartVerdict.Restart),
        new("always: clean exit -> restart", Always, 0, 0, RestartVerdict.Restart),
        new("always: killed -> restart", Always, 137, 9, RestartVerdict.Restart),
        new("on-failure: clean exit -> leave stopped", OnFailure, 0, 0, RestartVerdict.LeaveStopped),
        new("on-failure: crash -> restart", OnFailure, 1, 0, RestartVerdict.Restart),
        new("on-failure without limit: 1000th crash -> restart", OnFailure, 2, 1000, RestartVerdict.Restart),
        new("on-failure max 3: after 0 restarts -> restart", OnFailure3, 1, 0, RestartVerdict.Restart),
        new("on-failure max 3: after 2 restarts -> restart", OnFailure3, 1, 2, RestartVerdict.Restart),
        new("on-failure max 3: after 3 restarts -> give up", OnFailure3, 1, 3, RestartVerdict.GiveUp),
        new("on-failure max 3: clean exit after 3 restarts -> leave stopped", OnFailure3, 0, 3, RestartVerdict.LeaveStopped),
        new("on-failure: stopped by liveness (143) -> restart", OnFailure, 143, 0, RestartVerdict.Restart),
        new("never: crash -> leave stopped", Never, 1, 0, RestartVerdict.LeaveStopped),
        new("never: clean exit -> leave stopped", Never, 0, 0, RestartVerdict.LeaveStopped),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides(Case c) => Assert.Equal(c.Want, RestartDecision.Decide(c.Policy, c.ExitCode, c.Restarts));

    [Theory]
    [InlineData(1, 3, "exited with code 1; gave up after 3 restarts")]
    [InlineData(2, 1, "exited with code 2; gave up after 1 restart")]
    public void Gave_up_message(int exitCode, int restarts, string want) => Assert.Equal(want, RestartDecision.GaveUp(exitCode, restarts));
}
