using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Api;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Api;

/// <summary>
/// The server side of the assignment stream on a real etcd, read line by line as an agent reads it: what one node is
/// sent when replicas are added, moved between nodes and compacted away, and the bookmarks of an idle stream. Streams
/// are served from a cluster cache that starts (lists etcd) when the first stream opens.
/// </summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AssignmentStreamTests(EtcdServer etcd) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/stream-" + Guid.NewGuid().ToString("N")[..8]);
    private ClusterCache? _cache;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cache is not null) await _cache.StopAsync(default);
        _kv.Dispose();
    }

    private ClusterCache Cache()
    {
        if (_cache is not null) return _cache;
        _cache = new ClusterCache(_kv, _keys, TimeProvider.System, NullLogger<ClusterCache>.Instance);
        _cache.StartAsync(default).GetAwaiter().GetResult();
        return _cache;
    }

    private static Replica On(string node, string id, int slot = 1) => new()
    {
        Id = id, Namespace = "default", Service = "web", Slot = slot, Node = node,
        Container = new ContainerSpec { Image = "local/web:1" },
    };

    /// <summary>Writes the replica's assignment as the store does; returns the revision of the write.</summary>
    private async Task<long> PutAsync(Replica r) =>
        (await _kv.CommitAsync(new EtcdTxn().PutValue(_keys.Replica(r.Namespace, r.Service, r.Id), Json.Serialize(r)))).Revision;

    private async Task<long> DeleteAsync(Replica r) =>
        (await _kv.CommitAsync(new EtcdTxn().DeleteKey(_keys.Replica(r.Namespace, r.Service, r.Id)))).Revision;

    private Stream Open(string node, long after, TimeSpan? bookmarks = null) =>
        new(new AssignmentStream(Cache(), new ControlPlaneOptions { BookmarkInterval = bookmarks ?? TimeSpan.FromMinutes(5) },
            NullLogger<AssignmentStream>.Instance), node, after);

    [Fact]
    public async Task A_node_gets_its_replicas_as_a_sync_then_only_its_own_changes_in_order()
    {
        var a = On("n1", "aaaaa");
        await PutAsync(a);
        await PutAsync(On("n2", "bbbbb"));
        await using var n1 = Open("n1", 0);

        var sync = await n1.NextAsync();
        Assert.Equal(AssignmentEventType.Sync, sync.Type);
        Assert.Equal(["aaaaa"], sync.Replicas!.Select(r => r.Id));

        await PutAsync(On("n2", "ccccc", 2));
        var added = await PutAsync(On("n1", "ddddd", 3));
        var removed = await DeleteAsync(a);

        var put = await n1.NextAsync();
        Assert.Equal((AssignmentEventType.Put, "ddddd", added), (put.Type, put.Replica!.Id, put.Revision));
        var delete = await n1.NextAsync();
        Assert.Equal((AssignmentEventType.Delete, "aaaaa", removed), (delete.Type, delete.ReplicaId, delete.Revision));
    }

    [Fact]
    public async Task A_replica_moving_between_nodes_is_a_delete_for_the_old_node_and_a_put_for_the_new_one()
    {
        var moving = On("n1", "mmmmm");
        await PutAsync(moving);
        await using var n1 = Open("n1", 0);
        await using var n2 = Open("n2", 0);
        Assert.Single((await n1.NextAsync()).Replicas!);
        Assert.Empty((await n2.NextAsync()).Replicas!);

        var moved = await PutAsync(moving with { Node = "n2" });

        var gone = await n1.NextAsync();
        Assert.Equal((AssignmentEventType.Delete, "mmmmm", moved), (gone.Type, gone.ReplicaId, gone.Revision));
        var arrived = await n2.NextAsync();
        Assert.Equal((AssignmentEventType.Put, "mmmmm", "n2", moved), (arrived.Type, arrived.Replica!.Id, arrived.Replica.Node, arrived.Revision));
    }

    [Fact]
    public async Task An_idle_stream_sends_bookmarks_that_follow_the_changes_of_other_nodes()
    {
        await using var n1 = Open("n1", 0, bookmarks: TimeSpan.FromMilliseconds(200));
        var sync = await n1.NextAsync();

        var first = await n1.NextAsync();
        Assert.Equal((AssignmentEventType.Bookmark, sync.Revision), (first.Type, first.Revision));

        // A change for another node is not sent, but the revision a reconnect resumes from moves past it.
        var elsewhere = await PutAsync(On("n2", "eeeee"));
        var later = await n1.NextUntilAsync(e => e.Revision >= elsewhere);
        Assert.Equal((AssignmentEventType.Bookmark, elsewhere), (later.Type, later.Revision));
    }

    [Fact]
    public async Task Resuming_from_a_revision_older_than_the_control_planes_memory_says_expired_and_ends_the_stream()
    {
        // Written (and compacted away in etcd) before the control plane listed: it cannot know what came after it.
        var early = await PutAsync(On("n1", "fffff"));
        await PutAsync(On("n1", "fffff") with { Slot = 2 });
        var latest = await PutAsync(On("n1", "fffff") with { Slot = 3 });
        Assert.True(await etcd.CompactAsync(latest), "etcdctl compact failed");

        await using var n1 = Open("n1", early);

        var expired = await n1.NextAsync();
        Assert.Equal(AssignmentEventType.Expired, expired.Type);
        await n1.EndedAsync();
    }

    [Fact]
    public async Task Resuming_from_a_revision_etcd_never_reached_says_expired()
    {
        var now = await PutAsync(On("n1", "ggggg"));
        await using var n1 = Open("n1", now + 1_000_000);

        var expired = await n1.NextAsync();
        Assert.Equal((AssignmentEventType.Expired, now + 1_000_000), (expired.Type, expired.Revision));
        await n1.EndedAsync();
    }

    /// <summary>One served stream, its response body a pipe read line by line.</summary>
    private sealed class Stream : IAsyncDisposable
    {
        private readonly Pipe _pipe = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;
        private readonly StreamReader _reader;

        public Stream(AssignmentStream stream, string node, long after)
        {
            var http = new DefaultHttpContext();
            http.Response.Body = _pipe.Writer.AsStream();
            _reader = new StreamReader(_pipe.Reader.AsStream());
            _serving = Task.Run(async () =>
            {
                try { await stream.ServeAsync(http.Response, node, after, _stop.Token); }
                finally { await _pipe.Writer.CompleteAsync(); }
            });
        }

        public async Task<AssignmentEvent> NextAsync()
        {
            var line = await _reader.ReadLineAsync().WaitAsync(Patience);
            Assert.NotNull(line);
            return Json.Deserialize<AssignmentEvent>(line);
        }

        /// <summary>Skips events until one is wanted; fails after <see cref="Patience"/> even while events keep coming.</summary>
        public async Task<AssignmentEvent> NextUntilAsync(Func<AssignmentEvent, bool> wanted)
        {
            var deadline = DateTime.UtcNow + Patience;
            AssignmentEvent? last = null;
            while (DateTime.UtcNow < deadline)
            {
                last = await NextAsync();
                if (wanted(last)) return last;
            }
            throw new TimeoutException($"no wanted event within {Patience.TotalSeconds:0} s; the last was {last?.Type} at {last?.Revision}");
        }

        /// <summary>The server finished the response by itself and wrote nothing more.</summary>
        public async Task EndedAsync()
        {
            await _serving.WaitAsync(Patience);
            Assert.Null(await _reader.ReadLineAsync().WaitAsync(Patience));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { await _serving.WaitAsync(Patience); }
            catch (OperationCanceledException) { /* the stream ended because we left */ }
            _stop.Dispose();
        }
    }
}
