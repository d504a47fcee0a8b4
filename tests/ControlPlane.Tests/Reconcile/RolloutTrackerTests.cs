using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Reconcile;

namespace Orchestrator.ControlPlane.Tests.Reconcile;

[Trait("Category", "Unit")]
public sealed class RolloutTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly Probe Readiness = new() { HttpGet = new HttpGetAction { Port = 8080 }, PeriodSeconds = 1, FailureThreshold = 3 };

    private static ServiceObject Web(string image, long revision, int replicas = 2) => new()
    {
        Metadata = new ObjectMeta { Name = "web", Revision = revision },
        Spec = new ServiceSpec { Image = image, Replicas = replicas, ReadinessProbe = Readiness },
    };

    private static Replica R(ServiceObject s, int slot, string id)
    {
        var spec = ContainerSpec.From(s.Spec);
        return new Replica { Id = id, Service = "web", Slot = slot, Node = "n1", Container = spec, SpecHash = spec.Hash() };
    }

    private static ReplicaStatus Ready(string id) => new() { ReplicaId = id, State = ReplicaState.Running, Ready = true, ReadySince = T0.AddMinutes(-1) };

    [Fact]
    public void A_new_revision_starts_a_rollout_from_the_previous_one_and_completes_when_all_are_available()
    {
        var v1 = Web("local/web:1", 1);
        var v2 = Web("local/web:2", 2);
        var complete = new RolloutStatus { Revision = 1, Phase = RolloutPhase.Complete };

        var started = RolloutTracker.Observe(v2, complete, [R(v1, 1, "a"), R(v1, 2, "b")], new Dictionary<string, ReplicaStatus> { ["a"] = Ready("a"), ["b"] = Ready("b") }, T0);
        var done = RolloutTracker.Observe(v2, started.Status, [R(v2, 1, "c"), R(v2, 2, "d")], new Dictionary<string, ReplicaStatus> { ["c"] = Ready("c"), ["d"] = Ready("d") }, T0.AddSeconds(5));

        Assert.Equal((2L, 1L, RolloutPhase.Progressing, 0, 2), (started.Status.Revision, started.Status.FromRevision, started.Status.Phase, started.Status.Updated, started.Status.Old));
        Assert.Null(started.Failure);
        Assert.Equal(RolloutPhase.Complete, done.Status.Phase);
        Assert.Equal(T0.AddSeconds(5), done.Status.FinishedAt);
    }

    [Fact]
    public void A_replica_that_fails_its_readiness_probe_failure_threshold_times_fails_the_rollout_naming_the_check()
    {
        var v2 = Web("local/web:2", 2);
        var v3 = Web("local/web:3", 3);
        var progressing = new RolloutStatus { Revision = 3, FromRevision = 2, Phase = RolloutPhase.Progressing, StartedAt = T0, LastProgressAt = T0 };
        var statuses = new Dictionary<string, ReplicaStatus>
        {
            ["a"] = Ready("a"), ["b"] = Ready("b"),
            ["c"] = new() { ReplicaId = "c", State = ReplicaState.Running, Ready = false, ReadinessFailures = 2, LastProbe = "readiness: connection refused" },
        };
        var replicas = new List<Replica> { R(v2, 1, "a"), R(v2, 2, "b"), R(v3, 1, "c") };

        var twice = RolloutTracker.Observe(v3, progressing, replicas, statuses, T0.AddSeconds(3));
        statuses["c"] = statuses["c"] with { ReadinessFailures = 3 };
        var thrice = RolloutTracker.Observe(v3, twice.Status, replicas, statuses, T0.AddSeconds(4));

        Assert.Null(twice.Failure);
        Assert.Equal("replica web.1.c on n1 failed its readiness probe (http-get :8080/) 3 times in a row, last: readiness: connection refused", thrice.Failure);
    }

    [Theory]
    [InlineData(ReplicaState.CrashLoopBackOff, 0, "is in CrashLoopBackOff")]
    [InlineData(ReplicaState.Failed, 0, "is failed")]
    [InlineData(ReplicaState.Running, 1, "restarted 1 time")]
    public void A_replica_that_crashes_fails_the_rollout(ReplicaState state, int restarts, string expected)
    {
        var v3 = Web("local/web:3", 3, replicas: 1);
        var status = new ReplicaStatus { ReplicaId = "c", State = state, RestartCount = restarts, Ready = true, Message = "exited with code 1" };

        var failure = RolloutTracker.FailureOf(R(v3, 1, "c"), status);

        Assert.Equal($"replica web.1.c on n1 {expected}: exited with code 1", failure);
    }

    [Fact]
    public void A_replica_waiting_for_its_image_does_not_fail_a_first_rollout_which_completes_once_the_image_is_there()
    {
        var v1 = Web("local/nope:1", 1, replicas: 1);
        var replicas = new List<Replica> { R(v1, 1, "a") };
        var waiting = new Dictionary<string, ReplicaStatus>
        {
            ["a"] = new() { ReplicaId = "a", State = ReplicaState.Failed, Reason = ReplicaReasons.ImageNotFound, Message = "local/nope:1 is not on node n1" },
        };

        var first = RolloutTracker.Observe(v1, null, replicas, waiting, T0);
        var later = RolloutTracker.Observe(v1, first.Status, replicas, waiting, T0.AddSeconds(30));
        var built = RolloutTracker.Observe(v1, later.Status, replicas, new Dictionary<string, ReplicaStatus> { ["a"] = Ready("a") }, T0.AddSeconds(40));

        Assert.Null(RolloutTracker.FailureOf(replicas[0], waiting["a"]));
        Assert.Equal((RolloutPhase.Progressing, null), (later.Status.Phase, later.Failure));
        Assert.Equal(RolloutPhase.Complete, built.Status.Phase);
        // Any other reason a create failed still fails it.
        Assert.NotNull(RolloutTracker.FailureOf(replicas[0], waiting["a"] with { Reason = ReplicaReasons.PortInUse }));
    }

    [Fact]
    public void Waiting_for_an_image_past_the_progress_deadline_fails_an_update_but_not_a_first_rollout()
    {
        var v1 = Web("local/web:1", 1, replicas: 1);
        var v2 = Web("local/nope:2", 2, replicas: 1);
        var first = new List<Replica> { R(v2, 1, "n") };
        var waiting = new Dictionary<string, ReplicaStatus>
        {
            ["n"] = new() { ReplicaId = "n", State = ReplicaState.Failed, Reason = ReplicaReasons.ImageNotFound, Message = "local/nope:2 is not on node n1" },
            ["o"] = Ready("o"),
        };
        var late = T0 + v2.Spec.Update.ProgressDeadlineTime + TimeSpan.FromSeconds(1);

        var created = RolloutTracker.Observe(v2, RolloutTracker.Observe(v2, null, first, waiting, T0).Status, first, waiting, late);
        var started = RolloutTracker.Observe(v2, new RolloutStatus { Revision = 1, Phase = RolloutPhase.Complete }, [R(v1, 1, "o"), .. first], waiting, T0);
        var update = RolloutTracker.Observe(v2, started.Status, [R(v1, 1, "o"), .. first], waiting, late);

        Assert.Equal((RolloutPhase.Progressing, null), (created.Status.Phase, created.Failure));
        Assert.StartsWith("no progress for 2m (progressDeadline)", update.Failure);
    }

    [Fact]
    public void No_progress_for_the_deadline_fails_the_rollout()
    {
        var v2 = Web("local/web:2", 2, replicas: 1) is var s ? s with { Spec = s.Spec with { UpdateStrategy = new UpdateStrategy { ProgressDeadline = "30s" } } } : null!;
        var progressing = new RolloutStatus { Revision = 2, FromRevision = 1, Phase = RolloutPhase.Progressing, StartedAt = T0, LastProgressAt = T0, Desired = 1 };
        var pending = new Dictionary<string, ReplicaStatus> { ["c"] = new() { ReplicaId = "c", State = ReplicaState.Running, Ready = false } };

        var within = RolloutTracker.Observe(v2, progressing, [R(v2, 1, "c")], pending, T0.AddSeconds(29));
        var after = RolloutTracker.Observe(v2, within.Status with { LastProgressAt = T0 }, [R(v2, 1, "c")], pending, T0.AddSeconds(31));

        Assert.Null(within.Failure);
        Assert.StartsWith("no progress for 30s (progressDeadline)", after.Failure);
    }

    [Fact]
    public void A_rollback_that_completes_is_rolled_back_not_complete_and_keeps_the_failure()
    {
        var v2 = Web("local/web:2", 4);
        var rollingBack = new RolloutStatus
        {
            Revision = 4, FromRevision = 2, Phase = RolloutPhase.RollingBack, FailedRevision = 3, FailureReason = "replica web.1.c failed", StartedAt = T0, LastProgressAt = T0,
        };

        var done = RolloutTracker.Observe(v2, rollingBack, [R(v2, 1, "a"), R(v2, 2, "b")], new Dictionary<string, ReplicaStatus> { ["a"] = Ready("a"), ["b"] = Ready("b") }, T0.AddSeconds(2));

        Assert.Equal(RolloutPhase.RolledBack, done.Status.Phase);
        Assert.True(done.Status.Unsuccessful);
        Assert.Equal("replica web.1.c failed", done.Status.FailureReason);
    }

    [Fact]
    public void A_paused_rollout_reports_paused_and_never_fails()
    {
        var v3 = Web("local/web:3", 3, replicas: 1);
        var paused = new RolloutStatus { Revision = 3, FromRevision = 2, Phase = RolloutPhase.Progressing, Paused = true, StartedAt = T0, LastProgressAt = T0 };
        var crashed = new Dictionary<string, ReplicaStatus> { ["c"] = new() { ReplicaId = "c", State = ReplicaState.CrashLoopBackOff } };

        var seen = RolloutTracker.Observe(v3, paused, [R(v3, 1, "c")], crashed, T0.AddHours(1));

        Assert.Equal(RolloutPhase.Paused, seen.Status.Phase);
        Assert.Null(seen.Failure);
    }
}
