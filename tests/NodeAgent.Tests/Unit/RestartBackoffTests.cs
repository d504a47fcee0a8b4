using Orchestrator.NodeAgent.Reconcile;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class RestartBackoffTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void First_restart_is_immediate_then_waits_double_up_to_the_max_and_resets_after_a_quiet_minute()
    {
        var time = new ManualTime();
        var backoff = new RestartBackoff(time);
        Assert.Equal(TimeSpan.Zero, backoff.Remaining("a"));

        backoff.Started("a");
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Remaining("a"));
        time.Now += TimeSpan.FromSeconds(1);
        Assert.Equal(TimeSpan.Zero, backoff.Remaining("a"));

        var waits = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            backoff.Started("a");
            waits.Add(backoff.Remaining("a").TotalSeconds);
            time.Now += backoff.Remaining("a");
        }
        Assert.Equal([2, 4, 8, 16, 30, 30, 30], waits);
        Assert.Equal(TimeSpan.Zero, backoff.Remaining("b"));

        time.Now += RestartBackoff.ResetAfter;
        backoff.Started("a");
        Assert.Equal(RestartBackoff.Initial, backoff.Remaining("a"));
    }
}
