using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>The watch behind every assignment stream: ordered, resumable from a revision, and honest about compaction.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EtcdWatchTests(EtcdServer etcd) : IDisposable
{
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly string _prefix = "/watch-" + Guid.NewGuid().ToString("N")[..8] + "/";

    public void Dispose() => _kv.Dispose();

    private async Task<List<WatchChange>> CollectAsync(long after, int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<WatchChange>();
        await foreach (var batch in _kv.WatchAsync(_prefix, after, cts.Token))
        {
            seen.AddRange(batch);
            if (seen.Count >= count) break;
        }
        return seen;
    }

    [Fact]
    public async Task Resuming_after_a_revision_replays_exactly_the_later_changes_with_their_previous_values()
    {
        await _kv.CommitAsync(new EtcdTxn().PutValue(_prefix + "a", "1"));
        var (_, listedAt) = await _kv.ListAsync(_prefix);
        await _kv.CommitAsync(new EtcdTxn().PutValue(_prefix + "a", "2"));
        await _kv.CommitAsync(new EtcdTxn().DeleteKey(_prefix + "a"));

        var changes = await CollectAsync(listedAt, 2);

        Assert.Equal(2, changes.Count);
        Assert.False(changes[0].IsDelete);
        Assert.Equal(("2", "1"), (changes[0].Current!.Value, changes[0].Previous!.Value));
        Assert.True(changes[1].IsDelete);
        Assert.Equal("2", changes[1].Previous!.Value);
        Assert.True(changes[1].Revision > changes[0].Revision);
    }

    [Fact]
    public async Task A_compare_on_a_missing_key_means_create_only()
    {
        var first = await _kv.CommitAsync(new EtcdTxn().Require(_prefix + "once", 0).PutValue(_prefix + "once", "x"));
        var second = await _kv.CommitAsync(new EtcdTxn().Require(_prefix + "once", 0).PutValue(_prefix + "once", "y"));

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Equal("x", (await _kv.GetAsync(_prefix + "once"))!.Value);
    }

    [Fact]
    public async Task Watching_from_a_compacted_revision_says_expired()
    {
        var early = (await _kv.CommitAsync(new EtcdTxn().PutValue(_prefix + "c", "1"))).Revision;
        await _kv.CommitAsync(new EtcdTxn().PutValue(_prefix + "c", "2"));
        var latest = (await _kv.CommitAsync(new EtcdTxn().PutValue(_prefix + "c", "3"))).Revision;
        var compact = await etcd.CompactAsync(latest);
        Assert.True(compact, "etcdctl compact failed");

        await Assert.ThrowsAsync<WatchExpiredException>(() => CollectAsync(early - 1, 1));
    }
}
