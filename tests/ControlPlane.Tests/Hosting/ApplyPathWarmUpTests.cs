using Orchestrator.ControlPlane.Hosting;
using Orchestrator.Scheduler;

namespace Orchestrator.ControlPlane.Tests.Hosting;

[Trait("Category", "Unit")]
public sealed class ApplyPathWarmUpTests
{
    [Fact]
    public void The_made_up_manifest_still_loads_and_its_three_replicas_are_placed()
    {
        // A manifest that stopped loading (a field renamed, a limit changed) would make the warm-up skip in silence.
        var placed = ApplyPathWarmUp.Run(Placer.CreateDefault());
        Assert.Equal(3, placed.Placements.Count);
        Assert.Empty(placed.Unplaced);
    }
}
