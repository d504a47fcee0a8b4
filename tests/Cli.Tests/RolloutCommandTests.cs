using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

[Trait("Category", "Unit")]
public sealed class RolloutCommandTests
{
    private const string Web = "/api/v1/namespaces/default/services/web";

    private static ServiceDetail Detail(long revision, RolloutStatus? rollout) => new()
    {
        Service = new ServiceObject { Metadata = new ObjectMeta { Name = "web", Revision = revision } },
        Rollout = rollout,
    };

    [Fact]
    public async Task Status_prints_progress_until_the_rollout_completes_and_exits_0()
    {
        var api = new FakeApi()
            .Expect(HttpMethod.Get, Web, Detail(2, new RolloutStatus { Revision = 1, Phase = RolloutPhase.Complete }))
            .Expect(HttpMethod.Get, Web, Detail(2, new RolloutStatus { Revision = 2, Phase = RolloutPhase.Progressing, Desired = 6, Available = 2, Old = 4 }))
            .Expect(HttpMethod.Get, Web, Detail(2, new RolloutStatus { Revision = 2, Phase = RolloutPhase.Complete, Desired = 6, Available = 6, Message = "6 of 6 replicas of revision 2 available" }));

        var run = await Orc.RunAsync(api, "rollout", "status", "web");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
        [
            "Waiting for the control plane to take up revision 2 of service/web...",
            "Waiting for rollout of service/web to finish: 2 of 6 updated replicas available, 4 old replica(s) left...",
            "service/web successfully rolled out (revision 2: 6 of 6 replicas of revision 2 available)",
        ], run.OutLines);
        api.AssertAllAnswered();
    }

    [Fact]
    public async Task Status_of_a_rolled_back_rollout_exits_1_naming_the_failed_check()
    {
        var failure = "replica web.1.ab12 on n1 failed its readiness probe (http-get :8080/) 3 times in a row, last: readiness: connection refused";
        var api = new FakeApi().Expect(HttpMethod.Get, Web, Detail(4, new RolloutStatus
        {
            Revision = 4, FromRevision = 2, FailedRevision = 3, FailureReason = failure, Phase = RolloutPhase.RolledBack, Desired = 6, Available = 6,
        }));

        var run = await Orc.RunAsync(api, "rollout", "status", "web");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: rollout of service/web revision 3 failed: {failure}", run.Err);
        Assert.Contains("rolled back: the spec of revision 2 runs again as revision 4 (6 of 6 available)", run.Err);
    }

    [Fact]
    public async Task Status_of_a_held_failed_rollout_exits_1_and_says_how_to_go_on()
    {
        var api = new FakeApi().Expect(HttpMethod.Get, Web, Detail(3, new RolloutStatus
        {
            Revision = 3, FromRevision = 2, FailedRevision = 3, FailureReason = "replica web.1.x on n1 is in CrashLoopBackOff", Phase = RolloutPhase.Failed, Desired = 2, Available = 0, Old = 2,
        }));

        var run = await Orc.RunAsync(api, "rollout", "status", "web");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("revision 3 failed: replica web.1.x on n1 is in CrashLoopBackOff", run.Err);
        Assert.Contains("`orc rollout undo web` goes back, `orc rollout resume web` tries again", run.Err);
    }

    [Fact]
    public async Task Undo_sends_the_revision_asked_for_and_says_what_it_became()
    {
        var api = new FakeApi().Expect(HttpMethod.Post, Web + "/rollout/undo", new UndoResponse { Revision = 5, ToRevision = 1 }, body: new UndoRequest { ToRevision = 1 });

        var run = await Orc.RunAsync(api, "rollout", "undo", "web", "--to-revision", "1");

        Assert.Equal((0, "service/web rolled back to revision 1 (now revision 5)\n"), (run.ExitCode, run.Out));
    }

    [Fact]
    public async Task Undo_to_an_unknown_revision_shows_the_servers_reason()
    {
        var api = new FakeApi().ExpectError(HttpMethod.Post, Web + "/rollout/undo", System.Net.HttpStatusCode.BadRequest,
            "revision 9 of service \"default/web\" not found; kept revisions: 1, 2");

        var run = await Orc.RunAsync(api, "rollout", "undo", "web", "--to-revision", "9");

        Assert.Equal((1, "error: revision 9 of service \"default/web\" not found; kept revisions: 1, 2\n"), (run.ExitCode, run.Err));
    }

    [Theory]
    [InlineData("pause", "/rollout/pause", "service/web paused\n")]
    [InlineData("resume", "/rollout/resume", "service/web resumed\n")]
    public async Task Pause_and_resume(string verb, string path, string output)
    {
        var api = new FakeApi().Expect(HttpMethod.Put, Web + path, new RolloutStatus { Revision = 2 });

        var run = await Orc.RunAsync(api, "rollout", verb, "web");

        Assert.Equal((0, output), (run.ExitCode, run.Out));
    }
}
