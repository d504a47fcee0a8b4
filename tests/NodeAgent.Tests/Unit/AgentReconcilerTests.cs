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
    public sealed record Case(string Name, Replica[] Assigned, ObservedContainer[] Observed, string[] Want)
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
        new("unassigned -> remove", [], [Container("c1").Of(A)], ["remove c1: " + RemoveReasons.NotAssigned]),
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
            ["remove x: " + RemoveReasons.NotAssigned, "start c1", "create bbbbb"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan(Case c)
    {
        var actions = AgentReconciler.Plan(c.Assigned, c.Observed);
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
        _ => a.ToString()!,
    };
}
