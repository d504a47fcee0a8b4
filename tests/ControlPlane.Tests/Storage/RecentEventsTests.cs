using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>The in-memory event lists: by scope, by namespace, all; bounded per scope and in all; deletions; bad values.</summary>
[Trait("Category", "Unit")]
public sealed class RecentEventsTests
{
    private const string Prefix = "/o/events/";
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static void Put(RecentEvents events, string scope, int second, string reason = "Started") =>
        events.Put(Key(scope, second), Json.Serialize(new ClusterEvent { Time = T0.AddSeconds(second), Reason = reason + second }));

    private static string Key(string scope, int second) => $"{Prefix}{scope}/{T0.AddSeconds(second).UtcTicks:D19}-abcdef";

    [Fact]
    public void A_scope_a_namespace_and_all_list_their_newest_events_oldest_first()
    {
        var events = new RecentEvents(Prefix);
        Put(events, "default/web", 3);
        Put(events, "default/web", 1);
        Put(events, "default/db", 2);
        Put(events, "other/web", 4);
        Put(events, "_cluster", 5);

        Assert.Equal(["Started1", "Started3"], events.List("default/web", 10).Select(e => e.Reason));
        Assert.Equal(["Started1", "Started2", "Started3"], events.List("default", 10).Select(e => e.Reason));
        Assert.Equal(["Started4", "Started5"], events.List(null, 2).Select(e => e.Reason));
        Assert.Empty(events.List("default/we", 10));
    }

    [Fact]
    public void The_oldest_go_first_past_the_bounds_per_scope_and_in_all()
    {
        var events = new RecentEvents(Prefix, perScope: 3, total: 5);
        for (var i = 1; i <= 5; i++) Put(events, "default/web", i);
        Assert.Equal(["Started3", "Started4", "Started5"], events.List("default/web", 10).Select(e => e.Reason));

        Put(events, "default/db", 6);
        Put(events, "default/db", 7);
        Put(events, "_cluster", 8);
        Assert.Equal(5, events.Count);
        Assert.Equal(["Started4", "Started5", "Started6", "Started7", "Started8"], events.List(null, 10).Select(e => e.Reason));
    }

    [Fact]
    public void A_deleted_event_is_gone_and_a_value_that_is_no_event_is_left_out()
    {
        var events = new RecentEvents(Prefix);
        Put(events, "default/web", 1);
        Put(events, "default/web", 2);
        events.Put(Prefix + "default/web/0000000000000000003-bad", "{not json");

        events.Delete(Key("default/web", 1));

        Assert.Equal(["Started2"], events.List(null, 10).Select(e => e.Reason));
    }
}
