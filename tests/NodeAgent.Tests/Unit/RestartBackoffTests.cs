using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Tests.Fakes;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class RestartBackoffTests
{
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

    [Theory]
    [InlineData("1s", "30s", new double[] { 0, 1, 2, 4, 8, 16, 30, 30 })]
    [InlineData("500ms", "2s", new double[] { 0, 0.5, 1, 2, 2, 2 })]
    [InlineData("5s", "5s", new double[] { 0, 5, 5, 5 })]
    [InlineData("2m", "10m", new double[] { 0, 120, 240, 480, 600 })]
    public void Waits_grow_from_the_policys_delay_to_its_max(string delay, string maxDelay, double[] waits)
    {
        var time = new ManualTime();
        var backoff = new RestartBackoff(time);
        var policy = new RestartPolicy { Delay = delay, MaxDelay = maxDelay };
        var seen = new List<double>();
        foreach (var _ in waits)
        {
            var wait = backoff.Remaining("a");
            seen.Add(wait.TotalSeconds);
            // A crash right after each start: the wait elapses, the restart happens, it crashes again at once.
            time.Now += wait;
            backoff.Started("a", policy);
        }
        Assert.Equal(waits, seen);
    }
}
