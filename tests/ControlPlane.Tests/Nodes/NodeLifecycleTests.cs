using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Nodes;

namespace Orchestrator.ControlPlane.Tests.Nodes;

[Trait("Category", "Unit")]
public sealed class NodeLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly NodeLifecycleOptions Defaults = new();

    private static NodeInfo Node(double silentSeconds, NodeState state = NodeState.Ready, long observed = 0, long fence = 0) => new()
    {
        Name = "n1", State = state, LastHeartbeat = T0.AddSeconds(-silentSeconds), ObservedRevision = observed, FenceRevision = fence,
    };

    public static TheoryData<string, NodeInfo, double, NodeState> States => new()
    {
        { "heard a second ago: Ready", Node(1), 0, NodeState.Ready },
        { "silent 4.9 s: still Ready (no flapping on a slow heartbeat)", Node(4.9), 0, NodeState.Ready },
        { "silent 5 s: NotReady", Node(5), 0, NodeState.NotReady },
        { "silent 9.9 s: NotReady, replicas kept", Node(9.9), 0, NodeState.NotReady },
        { "silent 10 s: Down, replicas replaced", Node(10), 0, NodeState.Down },
        { "Down stays Down while silent, even past NotReady only", Node(6, NodeState.Down), 0, NodeState.Down },
        { "back from Down but behind its fence: NotReady", Node(0.5, NodeState.Down, observed: 40, fence: 57), 0, NodeState.NotReady },
        { "back from Down and caught up with its fence: Ready", Node(0.5, NodeState.NotReady, observed: 57, fence: 57), 0, NodeState.Ready },
        { "control plane restarted 2 s ago: an old heartbeat is not held against the node", Node(120), 2, NodeState.Ready },
        { "control plane restarted 6 s ago and still silence: NotReady", Node(120), 6, NodeState.NotReady },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void State_follows_silence_and_fence(string name, NodeInfo node, double watchingForSeconds, NodeState expected)
    {
        var watchingSince = watchingForSeconds == 0 ? DateTimeOffset.MinValue : T0.AddSeconds(-watchingForSeconds);

        Assert.True(expected == NodeLifecycle.StateOf(node, T0, watchingSince, Defaults), name);
    }

    [Fact]
    public void A_node_back_from_Down_whose_replicas_were_replaced_counts_only_after_applying_their_removal()
    {
        // Its replicas were removed at revision 99 while it was Down.
        var down = Node(30, NodeState.Down, observed: 10, fence: 99);

        var back = NodeLifecycle.WithStateAt(NodeLifecycle.Heard(down, T0, observedRevision: 10), T0, DateTimeOffset.MinValue, Defaults);
        Assert.Equal(NodeState.NotReady, back.State);
        Assert.Equal(T0, back.StateSince);

        var caughtUp = NodeLifecycle.WithStateAt(NodeLifecycle.Heard(back, T0.AddSeconds(1), observedRevision: 99), T0.AddSeconds(1), DateTimeOffset.MinValue, Defaults);
        Assert.Equal(NodeState.Ready, caughtUp.State);
    }

    [Fact]
    public void A_heartbeat_within_the_grace_makes_the_node_Ready_at_once()
    {
        var slow = Node(7, NodeState.NotReady, observed: 10);

        var heard = NodeLifecycle.WithStateAt(NodeLifecycle.Heard(slow, T0, observedRevision: 10), T0, DateTimeOffset.MinValue, Defaults);

        Assert.Equal(NodeState.Ready, heard.State);
    }

    [Theory]
    [InlineData(0.5, 10, "NotReadyAfter")]
    [InlineData(5, 4, "DownAfter")]
    public void Bad_thresholds_are_refused_at_start(double notReady, double down, string field)
    {
        var options = new NodeLifecycleOptions { NotReadyAfter = TimeSpan.FromSeconds(notReady), DownAfter = TimeSpan.FromSeconds(down) };

        Assert.Contains(options.Validate(), p => p.Contains(field));
    }
}
