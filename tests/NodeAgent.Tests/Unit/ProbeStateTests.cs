using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Health;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class ProbeStateTests
{
    /// <param name="Results">One letter per probe run: s = success, f = failure.</param>
    /// <param name="Passing">Whether the probe passes after each run, as letters: y / n.</param>
    public sealed record Case(string Name, bool Liveness, int FailureThreshold, int SuccessThreshold, string Results, string Passing)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("liveness passes until 3 failures in a row", true, 3, 1, "fff", "yyn"),
        new("liveness: a success in between starts the count again", true, 3, 1, "ffsfff", "yyyyyn"),
        new("liveness threshold 1: the first failure fails", true, 1, 1, "sf", "yn"),
        new("readiness starts not ready; one success makes it ready", false, 3, 1, "s", "y"),
        new("readiness needs successThreshold successes in a row", false, 3, 3, "ssfsss", "nnnnny"),
        new("readiness drops after failureThreshold failures and comes back", false, 2, 1, "sffs", "yyny"),
        new("readiness: failures before any success keep it not ready", false, 3, 1, "ffff", "nnnn"),
        new("readiness: one failure below the threshold keeps it ready", false, 2, 1, "sfs", "yyy"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Follows_the_thresholds(Case c)
    {
        var probe = new Probe { TcpSocket = new() { Port = 80 }, FailureThreshold = c.FailureThreshold, SuccessThreshold = c.SuccessThreshold };
        var state = c.Liveness ? ProbeState.Liveness(probe) : ProbeState.Readiness(probe);
        var seen = "";
        foreach (var r in c.Results)
        {
            state.Record(r == 's');
            seen += state.Passing ? 'y' : 'n';
        }
        Assert.Equal(c.Passing, seen);
    }

    [Fact]
    public void Record_says_when_the_probe_flips()
    {
        var state = ProbeState.Liveness(new Probe { Exec = new() { Command = ["true"] }, FailureThreshold = 2 });
        Assert.Equal([false, true, false, true], new[] { false, false, false, true }.Select(state.Record).ToArray());
        Assert.Equal((0, 1), (state.ConsecutiveFailures, state.ConsecutiveSuccesses));
    }
}
