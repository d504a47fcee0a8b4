using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Tests.Storage;

[Trait("Category", "Unit")]
public sealed class AssignmentLogTests
{
    private static Replica R(string id, string node) => new() { Id = id, Service = "web", Node = node };

    private static string Show(IReadOnlyList<AssignmentEvent>? events) =>
        events is null ? "expired" : string.Join(" ", events.Select(e => $"{e.Type}:{e.Replica?.Id ?? e.ReplicaId}@{e.Revision}"));

    [Fact]
    public void Each_node_sees_its_own_puts_and_deletes_and_a_move_is_a_delete_there_and_a_put_here()
    {
        var log = new AssignmentLog();
        log.Reset([R("a", "n1"), R("b", "n2")], revision: 10);

        log.Changed(null, R("c", "n1"), 11);
        log.Changed(R("a", "n1"), R("a", "n2"), 12);
        log.Changed(R("b", "n2"), null, 13);

        Assert.Equal("Put:c@11 Delete:a@12", Show(log.After("n1", 10)));
        Assert.Equal("Put:a@12 Delete:b@13", Show(log.After("n2", 10)));
        Assert.Equal("Delete:a@12", Show(log.After("n1", 11)));
        Assert.Equal(["c"], log.AssignedTo("n1").Select(r => r.Id));
        Assert.Equal(["a"], log.AssignedTo("n2").Select(r => r.Id));
        Assert.Equal("", Show(log.After("n3", 10)));
    }

    [Fact]
    public void A_revision_from_before_what_the_log_holds_is_expired()
    {
        var log = new AssignmentLog(perNode: 2);
        log.Reset([], revision: 10);
        Assert.Null(log.After("n1", 9));

        log.Changed(null, R("a", "n1"), 11);
        log.Changed(null, R("b", "n1"), 12);
        log.Changed(null, R("c", "n1"), 13);

        // 11 was dropped to keep two: resuming after 10 would miss it; after 11 is complete.
        Assert.Null(log.After("n1", 10));
        Assert.Equal("Put:b@12 Put:c@13", Show(log.After("n1", 11)));
        // Another node's log is complete from the list on.
        Assert.Equal("", Show(log.After("n2", 10)));
    }

    [Fact]
    public void A_relist_starts_a_new_epoch_and_wakes_every_waiting_stream()
    {
        var log = new AssignmentLog();
        log.Reset([], revision: 10);
        var epoch = log.Epoch;
        var waiting = log.NextChange("n1");

        log.Reset([R("a", "n1")], revision: 50);

        Assert.True(waiting.IsCompleted);
        Assert.Equal(epoch + 1, log.Epoch);
        Assert.Null(log.After("n1", 20));
        Assert.Equal(["a"], log.AssignedTo("n1").Select(r => r.Id));
    }

    [Fact]
    public void A_change_wakes_the_streams_of_its_nodes_only()
    {
        var log = new AssignmentLog();
        log.Reset([], revision: 1);
        var n1 = log.NextChange("n1");
        var n2 = log.NextChange("n2");

        log.Changed(null, R("a", "n1"), 2);

        Assert.True(n1.IsCompleted);
        Assert.False(n2.IsCompleted);
    }
}
