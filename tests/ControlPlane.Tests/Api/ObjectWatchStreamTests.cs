using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Api;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Api;

/// <summary>
/// `orc get -w` served from the cluster cache's change feed on a real etcd, read line by line as the CLI reads it: the
/// sync, each changed view, a deletion, and a stream further behind than the feed reaches, which compares every view.
/// </summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ObjectWatchStreamTests(EtcdServer etcd) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/objwatch-" + Guid.NewGuid().ToString("N")[..8]);
    private ClusterCache _cache = null!;
    private ClusterStore _store = null!;

    public Task InitializeAsync() => StartCacheAsync(ChangeFeed.DefaultCapacity);

    private async Task StartCacheAsync(int feedCapacity)
    {
        if (_cache is not null) await _cache.StopAsync(default);
        _cache = new ClusterCache(_kv, _keys, TimeProvider.System, NullLogger<ClusterCache>.Instance) { ChangeFeedCapacity = feedCapacity };
        await _cache.StartAsync(default);
        Assert.True(await _cache.CatchUpAsync());
        _store = new ClusterStore(_kv, _keys, TimeProvider.System, _cache);
    }

    public async Task DisposeAsync()
    {
        await _cache.StopAsync(default);
        _kv.Dispose();
    }

    private Stream Open(string kind, string? ns = null, string? service = null)
    {
        var events = new EventRecorder(_kv, _keys, TimeProvider.System, NullLogger<EventRecorder>.Instance, _cache);
        return new Stream(new ObjectWatchStream(_cache, _keys, new ServiceViews(_store, events), _store), kind, ns, service);
    }

    private static ServiceObject Service(string name, int replicas) =>
        new() { Metadata = new ObjectMeta { Name = name }, Spec = new ServiceSpec { Image = "local/busybox:1", Replicas = replicas } };

    [Fact]
    public async Task A_watch_sends_the_sync_then_each_changed_view_then_the_deletion()
    {
        await _store.ApplyServicesAsync([Service("w1", 1)], dryRun: false);
        await using var watch = Open(ObjectWatchKinds.Services);

        var sync = await watch.NextAsync();
        Assert.Equal(ObjectWatchEvent.Sync, sync.Type);
        Assert.Equal(["default/w1"], sync.Services.Select(s => s.Service.Key));

        await _store.ScaleServiceAsync("default", "w1", 4);
        var scaled = await watch.NextAsync();
        Assert.Equal((ObjectWatchEvent.Changed, 4), (scaled.Type, scaled.Services.Single().Service.Spec.Replicas));

        await _store.ApplyServicesAsync([Service("w2", 2)], dryRun: false);
        var added = await watch.NextAsync();
        Assert.Equal("default/w2", added.Services.Single().Service.Key);

        await _store.DeleteServiceAsync("default", "w1");
        var deleted = await watch.NextAsync();
        Assert.Equal(ObjectWatchEvent.Deleted, deleted.Type);
        Assert.Equal(["default/w1"], deleted.Gone);
    }

    [Fact]
    public async Task A_watch_further_behind_than_the_change_feed_compares_every_view_and_misses_none()
    {
        // A feed of 3 changes: one transaction of more keys puts a stream behind it.
        await StartCacheAsync(3);
        var svc = Service("many", 5);
        await _store.ApplyServicesAsync([svc], dryRun: false);
        svc = (await _store.GetServiceAsync("default", "many"))!;
        await using var watch = Open(ObjectWatchKinds.Replicas, "default", "many");
        Assert.Empty((await watch.NextAsync()).Replicas);

        // Five replica keys in one transaction: more than the feed's three, so the stream cannot tell which changed.
        await _store.AddReplicasAsync(svc, [.. Enumerable.Range(1, 5).Select(i => new Replica { Id = $"r{i}", Service = "many", Slot = i, Node = "n1" })]);

        var seen = new HashSet<string>();
        while (seen.Count < 5) foreach (var r in (await watch.NextAsync()).Replicas) seen.Add(r.Replica.Id);
        Assert.Equal(["r1", "r2", "r3", "r4", "r5"], seen.Order());
    }

    /// <summary>One served watch, its response body a pipe read line by line.</summary>
    private sealed class Stream : IAsyncDisposable
    {
        private readonly Pipe _pipe = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;
        private readonly StreamReader _reader;

        public Stream(ObjectWatchStream stream, string kind, string? ns, string? service)
        {
            var http = new DefaultHttpContext();
            http.Response.Body = _pipe.Writer.AsStream();
            _reader = new StreamReader(_pipe.Reader.AsStream());
            _serving = Task.Run(async () =>
            {
                try { await stream.ServeAsync(http.Response, kind, ns, service, _stop.Token); }
                finally { await _pipe.Writer.CompleteAsync(); }
            });
        }

        public async Task<ObjectWatchEvent> NextAsync()
        {
            var line = await _reader.ReadLineAsync().WaitAsync(Patience);
            Assert.NotNull(line);
            return JsonSerializer.Deserialize<ObjectWatchEvent>(line, Json.Options)!;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _serving;
        }
    }
}
