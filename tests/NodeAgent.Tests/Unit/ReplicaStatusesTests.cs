using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Health;
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
        new("exited, restart due now -> Exited for the moment", [Container("c1").Of(A).Exited(1)], new ReplicaRecord(2, null) { NextRestartAt = Now },
            ReplicaState.Exited, 1, null),
        new("exited, waiting for the back-off -> CrashLoopBackOff", [Container("c1").Of(A).Exited(1)], new ReplicaRecord(2, null) { NextRestartAt = Now.AddSeconds(4) },
            ReplicaState.CrashLoopBackOff, 1, "exited with code 1; back-off before restart 3"),
        new("on-failure, restarts used up -> Failed, gave up", [Container("c1").Of(OnFailure3).Exited(1)], new ReplicaRecord(3, null),
            ReplicaState.Failed, 1, "exited with code 1; gave up after 3 restarts"),
        new("on-failure, clean exit -> Exited", [Container("c1").Of(OnFailure3).Exited(0)], new ReplicaRecord(1, null),
            ReplicaState.Exited, 0, null),
        new("never, crashed -> Exited with its code", [Container("c1").Of(Never).Exited(2)], null, ReplicaState.Exited, 2, null),
        new("never, stopped by liveness -> Exited, says why", [Container("c1").Of(Never).Exited(137)],
            new ReplicaRecord(0, null) { StopReason = "liveness probe failed 3 times: HTTP 500" },
            ReplicaState.Exited, 137, "liveness probe failed 3 times: HTTP 500; exited with code 137"),
        new("running after a liveness restart -> Running, says why it restarted", [Container("c1").Of(A)],
            new ReplicaRecord(1, null) { StopReason = "liveness probe failed 3 times: exit code 1" },
            ReplicaState.Running, null, "liveness probe failed 3 times: exit code 1"),
    };

    private static readonly Replica OnFailure3 = Replica("aaaaa").Restart(new RestartPolicy { Condition = RestartCondition.OnFailure, MaxAttempts = 3 });
    private static readonly Replica Never = Replica("aaaaa").Restart(new RestartPolicy { Condition = RestartCondition.Never });
    private static readonly Replica Probed = Replica("aaaaa").Readiness(new Probe { HttpGet = new() { Port = 8080 } });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Status(Case c)
    {
        var records = c.Record is null ? new Dictionary<string, ReplicaRecord>() : new() { [A.Id] = c.Record };
        var replica = c.Observed.FirstOrDefault()?.SpecHash is { } hash ? new[] { A, OnFailure3, Never }.FirstOrDefault(r => r.SpecHash == hash) ?? A : A;
        var status = Assert.Single(ReplicaStatuses.Build([replica], c.Observed, records, "n1", Now));

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

    [Theory]
    [InlineData("10.240.1.2", "10.240.1.2")]
    [InlineData("127.0.0.1", null)] // the host network: the replica has no IP of its own
    [InlineData(null, null)]
    public void Carries_the_replicas_ip(string? address, string? ip)
    {
        ObservedContainer running = Container("c1").Of(A).Build() with { Address = address };
        Assert.Equal(ip, Assert.Single(ReplicaStatuses.Build([A], [running], new Dictionary<string, ReplicaRecord>(), "n1", Now)).Ip);
    }

    [Fact]
    public void Crash_loop_carries_when_the_next_restart_is()
    {
        var next = Now.AddSeconds(4);
        var status = Assert.Single(ReplicaStatuses.Build([A], [Container("c1").Of(A).Exited(1)],
            new Dictionary<string, ReplicaRecord> { [A.Id] = new(2, null) { NextRestartAt = next } }, "n1", Now));
        Assert.Equal((ReplicaState.CrashLoopBackOff, next, 2), (status.State, status.NextRestartAt, status.RestartCount));
    }

    public sealed record ReadyCase(string Name, Replica Replica, ObservedContainer Container, ReplicaHealth? Health, bool Ready, string? LastProbe)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<ReadyCase> ReadyCases => new()
    {
        new("no readiness probe, running -> ready", A, Container("c1").Of(A), null, true, null),
        new("no readiness probe, exited -> not ready", A, Container("c1").Of(A).Exited(0), null, false, null),
        new("readiness probe not yet passed -> not ready", Probed, Container("c1").Of(Probed), new ReplicaHealth(false, null), false, null),
        new("readiness probe never run -> not ready", Probed, Container("c1").Of(Probed), null, false, null),
        new("readiness probe passes -> ready", Probed, Container("c1").Of(Probed), new ReplicaHealth(true, "readiness: HTTP 200"), true, "readiness: HTTP 200"),
        new("readiness passed but the container exited -> not ready", Probed, Container("c1").Of(Probed).Exited(1), new ReplicaHealth(true, "readiness: HTTP 200"),
            false, "readiness: HTTP 200"),
    };

    [Theory]
    [MemberData(nameof(ReadyCases))]
    public void Ready(ReadyCase c)
    {
        var health = c.Health is null ? null : new Dictionary<string, ReplicaHealth> { [c.Replica.Id] = c.Health };
        var status = Assert.Single(ReplicaStatuses.Build([c.Replica], [c.Container], new Dictionary<string, ReplicaRecord>(), "n1", Now, health));
        Assert.Equal((c.Ready, c.LastProbe), (status.Ready, status.LastProbe));
    }
}
