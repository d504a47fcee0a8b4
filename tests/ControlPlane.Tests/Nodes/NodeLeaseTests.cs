using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Nodes;

namespace Orchestrator.ControlPlane.Tests.Nodes;

[Trait("Category", "Unit")]
public sealed class NodeLeaseTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(10);
    private static readonly NodeInfo Stored = new()
    {
        Name = "n1", State = NodeState.Ready, LastHeartbeat = T0, ObservedRevision = 40, PortsInUse = [new ListeningPort { Port = 2379, Protocol = "tcp" }],
    };

    public static TheoryData<string, NodeInfo, bool> Heartbeats => new()
    {
        { "a second later, nothing else new: no write", Stored with { LastHeartbeat = T0.AddSeconds(1) }, false },
        { "9.9 s after the lease: no write yet", Stored with { LastHeartbeat = T0.AddSeconds(9.9) }, false },
        { "10 s after the lease: renewed", Stored with { LastHeartbeat = T0.AddSeconds(10) }, true },
        { "the state changed (NotReady -> Ready, say)", Stored with { LastHeartbeat = T0.AddSeconds(1), State = NodeState.NotReady }, true },
        { "the agent applied a newer revision, not fenced: it goes with the next renewal", Stored with { LastHeartbeat = T0.AddSeconds(1), ObservedRevision = 41 }, false },
        { "other programs hold other ports", Stored with { LastHeartbeat = T0.AddSeconds(1), PortsInUse = [] }, true },
    };

    [Theory]
    [MemberData(nameof(Heartbeats))]
    public void A_heartbeat_is_written_only_on_change_or_to_renew_the_lease(string name, NodeInfo heard, bool write) =>
        Assert.True(write == NodeLease.NeedsWrite(Stored, heard, Renewal), name);

    [Fact]
    public void A_fenced_node_has_every_revision_its_agent_applied_written_on_the_way_to_the_fence()
    {
        var fenced = Stored with { State = NodeState.NotReady, FenceRevision = 50 };
        Assert.True(NodeLease.NeedsWrite(fenced, fenced with { LastHeartbeat = T0.AddSeconds(1), ObservedRevision = 45 }, Renewal));
        Assert.False(NodeLease.NeedsWrite(fenced, fenced with { LastHeartbeat = T0.AddSeconds(1) }, Renewal));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(9.9, false)]
    [InlineData(10.9, false)]
    [InlineData(11.1, true)]
    [InlineData(600, true)]
    public void Only_a_lease_unrenewed_past_its_period_and_two_checks_has_lapsed(double secondsSince, bool lapsed)
    {
        // Renewed every 10 s, checked every 500 ms: a live node's lease is never older than 10 s, plus a little while written.
        var options = new NodeLifecycleOptions { LeaseRenewal = Renewal, CheckInterval = TimeSpan.FromMilliseconds(500) };
        Assert.Equal(lapsed, NodeLease.Lapsed(Stored, T0.AddSeconds(secondsSince), options));
    }
}
