using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Tests.Storage;

[Trait("Category", "Unit")]
public sealed class CompactionScheduleTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;
    private static readonly TimeSpan Five = TimeSpan.FromMinutes(5);

    [Fact]
    public void The_first_tick_only_notes_and_compacts_nothing()
    {
        Assert.Equal((new NotedRevision(100, T0), 0L), CompactionSchedule.Next(null, T0, 100, Five));
    }

    [Fact]
    public void Within_an_interval_nothing_happens_then_the_noted_revision_is_compacted_to()
    {
        var noted = new NotedRevision(100, T0);
        Assert.Equal((null, 0L), CompactionSchedule.Next(noted, T0 + TimeSpan.FromMinutes(4), 500, Five));
        // One interval later: compact to what was current an interval ago, and note what is current now.
        Assert.Equal((new NotedRevision(900, T0 + Five), 100L), CompactionSchedule.Next(noted, T0 + Five, 900, Five));
    }

    [Fact]
    public void Nothing_written_since_means_nothing_to_compact_and_zero_turns_it_off()
    {
        Assert.Equal(0L, CompactionSchedule.Next(new NotedRevision(100, T0), T0 + Five, 100, Five).CompactTo);
        Assert.Equal((null, 0L), CompactionSchedule.Next(new NotedRevision(100, T0), T0 + Five, 900, TimeSpan.Zero));
    }
}
