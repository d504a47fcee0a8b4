using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Runtime;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class AgentReconcilerTests
{
    private static readonly Replica A = Replica("aaaaa");
    private static readonly Replica B = Replica("bbbbb").Service("web", 2);
    private static readonly Replica AChanged = Replica("aaaaa").Args("sleep", "7200");

    /// <summary>One row: a readable name, what is assigned, what the engine shows, and the actions wanted (as short strings).</summary>
    private static readonly Replica OnFailure3 = Replica("ccccc").Restart(new RestartPolicy { Condition = RestartCondition.OnFailure, MaxAttempts = 3 });
    private static readonly Replica Never = Replica("ddddd").Restart(new RestartPolicy { Condition = RestartCondition.Never });

    /// <summary>The agent has restarted every replica this often; maxAttempts is measured against it.</summary>
    private static Dictionary<string, ReplicaRecord> Restarted(int count) =>
        new[] { A, B, OnFailure3, Never }.ToDictionary(r => r.Id, _ => new ReplicaRecord(count, null));

    public sealed record Case(string Name, Replica[] Assigned, ObservedContainer[] Observed, string[] Want, int Restarts = 0)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("nothing assigned, nothing running -> nothing", [], [], []),
        new("new replica -> create", [A], [], ["create aaaaa"]),
        new("running with same hash -> nothing", [A], [Container("c1").Of(A)], []),
        new("exited -> start", [A], [Container("c1").Of(A).Exited(1)], ["start c1"]),
        new("created but never started -> start", [A], [Container("c1").Of(A).State(ContainerStates.Created)], ["start c1"]),
        new("paused -> left alone", [A], [Container("c1").Of(A).State(ContainerStates.Paused)], []),
        new("dead -> remove and create", [A], [Container("c1").Of(A).State(ContainerStates.Dead)], ["remove c1: " + RemoveReasons.Dead, "create aaaaa"]),
        new("unassigned -> graceful stop with the container's own grace", [], [Container("c1").Of(A)], ["stop c1 (container grace): " + RemoveReasons.NotAssigned]),
        new("terminating -> graceful stop with the replica's grace, nothing created", [A with { Terminating = true }], [Container("c1").Of(A)],
            ["stop c1 (10s): " + RemoveReasons.Terminating]),
        new("terminating and already gone -> nothing", [A with { Terminating = true }], [], []),
        new("labelled container without replica id -> remove", [], [Container("c1")], ["remove c1: " + RemoveReasons.NoReplicaLabel]),
        new("hash changed -> remove + create", [AChanged], [Container("c1").Of(A)], ["remove c1: " + RemoveReasons.SpecChanged, "create aaaaa"]),
        new("duplicates -> keep the running one", [A],
            [Container("old").Of(A).CreatedMinute(1), Container("new").Of(A).Exited(0).CreatedMinute(2)],
            ["remove new: " + RemoveReasons.Duplicate]),
        new("duplicates all running -> keep the newest", [A],
            [Container("old").Of(A).CreatedMinute(1), Container("new").Of(A).CreatedMinute(2)],
            ["remove old: " + RemoveReasons.Duplicate]),
        new("duplicates all exited -> keep the newest and start it", [A],
            [Container("old").Of(A).Exited(1).CreatedMinute(1), Container("new").Of(A).Exited(1).CreatedMinute(2)],
            ["remove old: " + RemoveReasons.Duplicate, "start new"]),
        new("old spec beside current spec -> remove only the old", [AChanged],
            [Container("old").Of(A), Container("cur").Of(AChanged)],
            ["remove old: " + RemoveReasons.SpecChanged]),
        new("mixed: removals first, then starts, then creates", [A, B],
            [Container("c1").Of(A).Exited(137), Container("x").Of(Replica("zzzzz"))],
            ["stop x (container grace): " + RemoveReasons.NotAssigned, "start c1", "create bbbbb"]),
        new("on-failure, crashed, 2 restarts so far -> start", [OnFailure3], [Container("c1").Of(OnFailure3).Exited(1)], ["start c1"], Restarts: 2),
        new("on-failure, crashed, 3 restarts so far -> given up", [OnFailure3], [Container("c1").Of(OnFailure3).Exited(1)], [], Restarts: 3),
        new("on-failure, clean exit -> left stopped", [OnFailure3], [Container("c1").Of(OnFailure3).Exited(0)], []),
        new("never, crashed -> left stopped", [Never], [Container("c1").Of(Never).Exited(1)], []),
        new("never, created but never started -> start", [Never], [Container("c1").Of(Never).State(ContainerStates.Created)], ["start c1"]),
        new("always, clean exit after many restarts -> start", [A], [Container("c1").Of(A).Exited(0)], ["start c1"], Restarts: 50),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan(Case c)
    {
        var actions = AgentReconciler.Plan(c.Assigned, c.Observed, Restarted(c.Restarts));
        Assert.Equal(c.Want, actions.Select(Describe).ToArray());
    }

    [Fact]
    public void Start_and_create_carry_the_assigned_replica()
    {
        var actions = AgentReconciler.Plan([A, B], [Container("c1").Of(A).Exited(1)]);
        Assert.Equal(A, Assert.IsType<StartContainer>(actions[0]).Replica);
        Assert.Equal(B, Assert.IsType<CreateContainer>(actions[1]).Replica);
    }

    private static string Describe(AgentAction a) => a switch
    {
        CreateContainer c => $"create {c.Replica.Id}",
        StartContainer s => $"start {s.ContainerId}",
        RemoveContainer r => $"remove {r.ContainerId}: {r.Reason}",
        StopContainer t => $"stop {t.ContainerId} ({(t.Grace is { } g ? $"{g.TotalSeconds}s" : "container grace")}): {t.Reason}",
        _ => a.ToString()!,
    };
}
