using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Unit;

/// <summary>The running agent's probes on the fake engine: a liveness failure stops and restarts, readiness follows its probe.</summary>
[Trait("Category", "Unit")]
public sealed class ProbeLoopTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static Task<AgentHarness> StartAsync(FakeRuntime engine, Replica replica) => AgentHarness.SyncedAsync(engine, TimeSpan.FromMinutes(5), replica);

    [Fact]
    public async Task Failing_liveness_stops_the_container_and_the_policy_restarts_it()
    {
        var engine = new FakeRuntime { Exec = (_, _) => 1 };
        await using var harness = await StartAsync(engine,
            Replica("aaaaa").Liveness(new Probe { Exec = new() { Command = ["false"] }, PeriodSeconds = 1, FailureThreshold = 1 }));

        await Eventually.HoldsAsync(() => harness.Latest("aaaaa") is { RestartCount: >= 1 }, Wait, "restarted after the liveness failure");
        // It keeps failing, so it may already be stopped again: the reason leads the message either way.
        Assert.StartsWith("liveness probe failed 1 time: exit code 1", harness.Latest("aaaaa")!.Message);
        Assert.Contains(engine.Calls, c => c.StartsWith("stop ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Liveness_failure_under_never_leaves_it_exited_and_says_why()
    {
        var engine = new FakeRuntime { Exec = (_, _) => 1 };
        await using var harness = await StartAsync(engine, Replica("aaaaa")
            .Restart(new RestartPolicy { Condition = RestartCondition.Never })
            .Liveness(new Probe { Exec = new() { Command = ["false"] }, PeriodSeconds = 1, FailureThreshold = 1 }));

        await Eventually.HoldsAsync(() => harness.Latest("aaaaa") is { State: ReplicaState.Exited }, Wait, "exited, not restarted");
        Assert.Equal("liveness probe failed 1 time: exit code 1; exited with code 137", harness.Latest("aaaaa")!.Message);
        Assert.DoesNotContain(engine.Calls, c => c.StartsWith("start ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_follows_the_probe_both_ways()
    {
        var healthy = true;
        var engine = new FakeRuntime { Exec = (_, _) => healthy ? 0 : 1 };
        await using var harness = await StartAsync(engine,
            Replica("aaaaa").Readiness(new Probe { Exec = new() { Command = ["ready"] }, PeriodSeconds = 1, FailureThreshold = 1 }));

        await Eventually.HoldsAsync(() => harness.Latest("aaaaa") is { Ready: true, LastProbe: "readiness: exit code 0" }, Wait, "ready");
        healthy = false;
        await Eventually.HoldsAsync(() => harness.Latest("aaaaa") is { Ready: false, State: ReplicaState.Running, LastProbe: "readiness: exit code 1" }, Wait,
            "not ready, still running");
    }
}
