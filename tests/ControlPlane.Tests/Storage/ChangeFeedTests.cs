using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>The ring of recent changed keys the `get -w` streams follow.</summary>
[Trait("Category", "Unit")]
public sealed class ChangeFeedTests
{
    [Fact]
    public void A_reader_gets_each_key_changed_after_its_revision_once()
    {
        var feed = new ChangeFeed();
        feed.Reset(10);
        feed.Append("a", 11);
        feed.Append("b", 12);
        feed.Append("a", 13);

        Assert.Equal(["a", "b"], feed.After(10)!);
        Assert.Equal(["b", "a"], feed.After(11)!);
        Assert.Empty(feed.After(13)!);
    }

    [Fact]
    public void A_reader_behind_the_ring_or_the_last_relist_is_told_so()
    {
        var feed = new ChangeFeed { Capacity = 2 };
        feed.Reset(10);
        Assert.Null(feed.After(9));
        feed.Append("a", 11);
        feed.Append("b", 12);
        feed.Append("c", 13);

        Assert.Null(feed.After(10));
        Assert.Equal(["b", "c"], feed.After(11)!);
    }

    [Fact]
    public async Task Next_completes_at_the_next_batch()
    {
        var feed = new ChangeFeed();
        var next = feed.Next;
        feed.Append("a", 1);
        Assert.False(next.IsCompleted);
        feed.Wake();
        await next.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.False(feed.Next.IsCompleted);
    }
}
