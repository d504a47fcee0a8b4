using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Runtime;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class ReplicaStatusesTests
{
    private static readonly Replica A = Replica("aaaaa");
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public sealed record Case(string Name, ObservedContainer[] Observed, ReplicaRecord? Record, ReplicaState State, int? ExitCode, string? Message)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("running container -> Running", [Container("c1").Of(A)], null, ReplicaState.Running, null, null),
        new("exited container -> Exited with its code", [Container("c1").Of(A).Exited(3)], null, ReplicaState.Exited, 3, null),
        new("created container -> Creating", [Container("c1").Of(A).State(ContainerStates.Created)], null, ReplicaState.Creating, null, null),
        new("no container yet -> Creating", [], null, ReplicaState.Creating, null, null),
        new("create failed -> Failed with the error", [], new ReplicaRecord(0, "No such image: local/nope:1"), ReplicaState.Failed, null, "No such image: local/nope:1"),
        new("only an old spec's container -> Creating", [Container("c1").Of(A).Hash("0ld0ld0ld0ld")], null, ReplicaState.Creating, null, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Status(Case c)
    {
        var records = c.Record is null ? new Dictionary<string, ReplicaRecord>() : new() { [A.Id] = c.Record };
        var status = Assert.Single(ReplicaStatuses.Build([A], c.Observed, records, "n1", Now));

        Assert.Equal(c.State, status.State);
        Assert.Equal(c.ExitCode, status.ExitCode);
        Assert.Equal(c.Message, status.Message);
        Assert.Equal("n1", status.Node);
        Assert.Equal(Now, status.ObservedAt);
    }

    [Fact]
    public void Carries_container_id_ports_and_the_agents_restart_count()
    {
        ObservedContainer running = Container("c1").Of(A).Build() with { Ports = [new PortBinding { ContainerPort = 8080, HostPort = 32768 }] };
        var status = Assert.Single(ReplicaStatuses.Build([A], [running], new Dictionary<string, ReplicaRecord> { [A.Id] = new(2, null) }, "n1", Now));

        Assert.Equal("c1", status.ContainerId);
        Assert.Equal(2, status.RestartCount);
        Assert.Equal(32768, Assert.Single(status.Ports).HostPort);
    }
}
