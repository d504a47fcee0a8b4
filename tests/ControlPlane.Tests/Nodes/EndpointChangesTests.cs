using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Network;

namespace Orchestrator.ControlPlane.Tests.Nodes;

/// <summary>The endpoint events between two views (docs/networking.md): who became an endpoint, who left and why.</summary>
public sealed class EndpointChangesTests
{
    private static EndpointAddress E(string id, string? why = null) => new() { ReplicaId = id, Node = "h2", Ip = "10.240.1." + id[1..], NotServing = why };

    private static ServiceEndpoints Web(EndpointAddress[] ready, EndpointAddress[]? notReady = null) =>
        new() { Name = "web", Ready = [.. ready], NotReady = [.. notReady ?? []] };

    public static TheoryData<string, string?, bool> Leaving => new()
    {
        { EndpointsView.Terminating, EndpointsView.Terminating, false },
        { EndpointsView.NotReady, EndpointsView.NotReady, true },
        { EndpointsView.NodeDown, EndpointsView.NodeDown, true },
        { EndpointChanges.ReplicaRemoved, null, false },
    };

    [Theory]
    [MemberData(nameof(Leaving))]
    public void A_replica_that_leaves_is_one_removed_event_saying_why(string why, string? notServing, bool warning)
    {
        var after = notServing is null ? Web([E("r2")]) : Web([E("r2")], [E("r1", notServing)]);
        var change = Assert.Single(EndpointChanges.Between([Web([E("r1"), E("r2")])], [after]));

        Assert.Equal(EndpointChanges.Removed, change.Reason);
        Assert.Equal(("default", "web", warning), (change.Namespace, change.Service, change.Warning));
        Assert.Equal($"replica r1 (10.240.1.1 on h2) left the endpoints of web: {why}", change.Message);
    }

    [Fact]
    public void A_replica_that_becomes_ready_is_one_ready_event_and_nothing_changed_is_none()
    {
        var change = Assert.Single(EndpointChanges.Between([Web([E("r1")], [E("r2", EndpointsView.NotReady)])], [Web([E("r1"), E("r2")])]));
        Assert.Equal((EndpointChanges.Ready, "replica r2 (10.240.1.2 on h2) is an endpoint of web", false), (change.Reason, change.Message, change.Warning));

        Assert.Empty(EndpointChanges.Between([Web([E("r1")], [E("r2", EndpointsView.NotReady)])], [Web([E("r1")], [E("r2", EndpointsView.Terminating)])]));
    }

    [Fact]
    public void A_new_service_brings_its_ready_endpoints_and_a_deleted_one_takes_them_away()
    {
        Assert.Equal([EndpointChanges.Ready, EndpointChanges.Ready], EndpointChanges.Between([], [Web([E("r1"), E("r2")])]).Select(c => c.Reason));
        var gone = EndpointChanges.Between([Web([E("r1")])], []);
        Assert.Equal("replica r1 (10.240.1.1 on h2) left the endpoints of web: service deleted", Assert.Single(gone).Message);
    }
}
