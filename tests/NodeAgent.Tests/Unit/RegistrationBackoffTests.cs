using Orchestrator.NodeAgent.ControlPlane;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class RegistrationBackoffTests
{
    [Fact]
    public void Doubles_from_the_interval_up_to_the_cap()
    {
        var interval = TimeSpan.FromSeconds(1);
        var waits = new List<double>();
        var wait = TimeSpan.Zero;
        for (var i = 0; i < 7; i++) waits.Add((wait = RegistrationBackoff.Next(wait, interval)).TotalSeconds);
        Assert.Equal([1, 2, 4, 8, 16, 16, 16], waits);
    }

    [Fact]
    public void An_interval_above_the_cap_is_kept_and_jitter_stays_within_20_percent()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RegistrationBackoff.Next(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(8), RegistrationBackoff.Jittered(TimeSpan.FromSeconds(10), 0));
        Assert.Equal(TimeSpan.FromSeconds(12), RegistrationBackoff.Jittered(TimeSpan.FromSeconds(10), 1));
    }
}
