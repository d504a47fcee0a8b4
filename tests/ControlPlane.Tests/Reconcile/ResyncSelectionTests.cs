using Orchestrator.ControlPlane.Reconcile;

namespace Orchestrator.ControlPlane.Tests.Reconcile;

public sealed class ResyncSelectionTests
{
    private static Dictionary<string, long> V(params (string Key, long Revision)[] services) =>
        services.ToDictionary(s => s.Key, s => s.Revision);

    [Fact]
    public void The_first_pass_visits_every_service()
    {
        var selection = new ResyncSelection();
        Assert.Equal(["default/a", "default/b"], selection.Due(V(("default/a", 5), ("default/b", 9))).Order());
    }

    [Fact]
    public void A_service_written_since_the_previous_pass_waits_one_pass_for_its_writers_reconcile()
    {
        var selection = new ResyncSelection();
        selection.Due(V(("default/a", 5)));
        // b is new and a was applied again: both were written since, so their writers reconcile them now.
        Assert.Empty(selection.Due(V(("default/a", 12), ("default/b", 11))));
        // Nothing wrote them again: the next pass heals them like every other service.
        Assert.Equal(["default/a", "default/b"], selection.Due(V(("default/a", 12), ("default/b", 11))).Order());
    }

    [Fact]
    public void A_deleted_service_is_not_visited()
    {
        var selection = new ResyncSelection();
        selection.Due(V(("default/a", 5), ("default/b", 6)));
        Assert.Equal(["default/b"], selection.Due(V(("default/b", 6))));
    }
}
