using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Nodes;

namespace Orchestrator.ControlPlane.Tests.Nodes;

[Trait("Category", "Unit")]
public sealed class ReplicaStatusEventsTests
{
    private static ReplicaStatus S(ReplicaState state, string container = "c1", int restarts = 0, bool ready = true, string? message = null, int? exit = null) =>
        new() { ReplicaId = "r1", Service = "web", State = state, ContainerId = container, RestartCount = restarts, Ready = ready, Message = message, ExitCode = exit };

    private static ReplicaStatus Retrying(string reason, string message, int second) => new()
    {
        ReplicaId = "r1", Service = "web", State = ReplicaState.Failed, Reason = reason, Message = message,
        NextRestartAt = DateTimeOffset.UnixEpoch.AddSeconds(second),
    };

    public static TheoryData<string, ReplicaStatus?, ReplicaStatus, string[]> Cases => new()
    {
        { "a missing image is said with its reason", null, Retrying(ReplicaReasons.ImageNotFound, "local/nope:1 is not on node n1", 1), ["ImageNotFound"] },
        { "each retry of it says nothing", Retrying(ReplicaReasons.ImageNotFound, "local/nope:1 is not on node n1", 1),
            Retrying(ReplicaReasons.ImageNotFound, "local/nope:1 is not on node n1", 3), [] },
        { "a new reason is said", Retrying(ReplicaReasons.ImageNotFound, "local/nope:1 is not on node n1", 1),
            Retrying(ReplicaReasons.PortInUse, "host port 2379/tcp is already in use on n1", 3), ["PortInUse"] },
        { "first report of a running container", null, S(ReplicaState.Running), ["Started"] },
        { "the same report again says nothing", S(ReplicaState.Running), S(ReplicaState.Running), [] },
        { "a crash with back-off", S(ReplicaState.Running), S(ReplicaState.CrashLoopBackOff, exit: 1, message: "exited with code 1"), ["BackOff"] },
        { "restarted in the same container", S(ReplicaState.CrashLoopBackOff), S(ReplicaState.Running, restarts: 1), ["Restarted", "Started"] },
        { "gave up", S(ReplicaState.CrashLoopBackOff, restarts: 3), S(ReplicaState.Failed, restarts: 3, message: "gave up after 3 restarts"), ["Failed"] },
        { "liveness failed", S(ReplicaState.Running), S(ReplicaState.Running, message: "liveness probe failed 3 times: HTTP 500"), ["Unhealthy"] },
        { "readiness lost", S(ReplicaState.Running), S(ReplicaState.Running, ready: false), ["NotReady"] },
        { "readiness gained", S(ReplicaState.Running, ready: false), S(ReplicaState.Running), ["Ready"] },
        { "a new container is a start, not a restart", S(ReplicaState.Running, restarts: 2), S(ReplicaState.Running, container: "c2"), ["Started"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_transition_is_said_once(string name, ReplicaStatus? last, ReplicaStatus now, string[] reasons) =>
        Assert.True(reasons.SequenceEqual(ReplicaStatusEvents.Between(last, now, "n1").Select(e => e.Reason)),
            $"{name}: {string.Join(",", ReplicaStatusEvents.Between(last, now, "n1").Select(e => e.Reason))}");

    [Fact]
    public void A_replica_is_named_as_every_other_view_names_it()
    {
        var started = ReplicaStatusEvents.Between(null, S(ReplicaState.Running), "n1", "web.1.r1").Single();
        Assert.Equal("replica web.1.r1 on n1 running (container c1)", started.Message);
    }

    [Fact]
    public void Probe_wording_and_observation_time_alone_are_not_a_change()
    {
        var a = S(ReplicaState.Running) with { LastProbe = "readiness: HTTP 200", ObservedAt = DateTimeOffset.UnixEpoch };
        var b = a with { LastProbe = "readiness: HTTP 204", ObservedAt = DateTimeOffset.UnixEpoch.AddSeconds(5) };

        Assert.True(ReplicaStatusEvents.Same(a, b));
        Assert.False(ReplicaStatusEvents.Same(a, b with { Ready = false }));
        // The ports by content (another list of the same bindings is the same), and a changed binding is a change.
        var port = new PortBinding { ContainerPort = 80, HostPort = 8080 };
        Assert.True(ReplicaStatusEvents.Same(a with { Ports = [port] }, b with { Ports = [port with { }] }));
        Assert.False(ReplicaStatusEvents.Same(a with { Ports = [port] }, b with { Ports = [port with { HostPort = 8081 }] }));
        Assert.False(ReplicaStatusEvents.Same(a, b with { ReadySince = DateTimeOffset.UnixEpoch, Ip = "10.240.0.2" }));
    }

    [Fact]
    public void A_report_says_one_event_per_service_and_reason_naming_each_replica()
    {
        StatusEvent Started(string id) => new("Started", $"replica {id} on n1 running", false);
        var said = ReplicaStatusEvents.PerService(
        [
            ("default", "web", Started("a")), ("default", "web", Started("b")), ("default", "api", Started("c")),
            ("default", "web", new StatusEvent("BackOff", "replica d on n1: exited with code 1", true)),
        ]);

        Assert.Equal(3, said.Count);
        Assert.Contains(said, e => e.Service == "web" && e.Event.Reason == "Started"
            && e.Event.Message == "2 replicas: replica a on n1 running; replica b on n1 running");
        Assert.Contains(said, e => e.Service == "api" && e.Event.Message == "replica c on n1 running");
        Assert.Contains(said, e => e.Service == "web" && e.Event is { Reason: "BackOff", Warning: true });
    }
}
