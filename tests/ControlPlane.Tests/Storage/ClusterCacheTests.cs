using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>The control plane's watched copy of etcd, against a real etcd: list, watch, own writes, relist, paging.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ClusterCacheTests(EtcdServer etcd) : IAsyncLifetime
{
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/cache-" + Guid.NewGuid().ToString("N")[..8]);
    private ClusterCache _cache = null!;

    public async Task InitializeAsync()
    {
        // Something stored before the cache starts: the list must bring it.
        await _kv.CommitAsync(new EtcdTxn().PutValue(_keys.Node("before"), Json.Serialize(new NodeInfo { Name = "before" })));
        _cache = new ClusterCache(_kv, _keys, TimeProvider.System, NullLogger<ClusterCache>.Instance);
        await _cache.StartAsync(default);
        Assert.True(await _cache.CatchUpAsync());
    }

    public async Task DisposeAsync()
    {
        await _cache.StopAsync(default);
        _kv.Dispose();
    }

    private ClusterStore Store => new(_kv, _keys, TimeProvider.System, _cache);

    [Fact]
    public async Task The_list_then_the_watch_bring_every_kept_key_and_leave_the_others_out()
    {
        Assert.Equal("before", Json.Deserialize<NodeInfo>(_cache.Get(_keys.Node("before"))!.Value).Name);

        var put = await _kv.CommitAsync(new EtcdTxn().PutValue(_keys.Node("later"), "{}").PutValue(_keys.Events + "x/1", "{}"));
        Assert.True(await _cache.WaitForRevisionAsync(put.Revision));
        Assert.NotNull(_cache.Get(_keys.Node("later")));
        Assert.Null(_cache.Get(_keys.Events + "x/1"));
        Assert.Equal([_keys.Node("before"), _keys.Node("later")], _cache.List(_keys.Nodes).Select(v => v.Key));

        var delete = await _kv.CommitAsync(new EtcdTxn().DeleteKey(_keys.Node("later")));
        Assert.True(await _cache.WaitForRevisionAsync(delete.Revision));
        Assert.Null(_cache.Get(_keys.Node("later")));
        Assert.Equal(delete.Revision, _cache.Revision);
    }

    [Fact]
    public async Task A_list_asked_again_while_nothing_under_it_changed_is_the_same_one_and_a_change_under_it_makes_a_new_one()
    {
        var (r1, r2) = (_keys.Replicas + "default/web/r1", _keys.Replicas + "default/web/r2");
        Assert.True(await _cache.WaitForRevisionAsync((await _kv.CommitAsync(new EtcdTxn().PutValue(r1, "{}"))).Revision));
        var first = _cache.List(_keys.Replicas);
        var narrow = _cache.List(_keys.Replicas + "default/web/");

        // A change in another folder (a node's lease, at rest a hundred a second) leaves both as they are.
        Assert.True(await _cache.WaitForRevisionAsync((await _kv.CommitAsync(new EtcdTxn().PutValue(_keys.Node("busy"), "{}"))).Revision));
        Assert.Same(first, _cache.List(_keys.Replicas));
        Assert.Same(narrow, _cache.List(_keys.Replicas + "default/web/"));

        // A put and a delete under it each make a new list with the change, and leave the one handed out before as it was.
        Assert.True(await _cache.WaitForRevisionAsync((await _kv.CommitAsync(new EtcdTxn().PutValue(r2, "{}"))).Revision));
        var second = _cache.List(_keys.Replicas);
        Assert.Equal([r1, r2], second.Select(v => v.Key));
        Assert.Equal([r1], first.Select(v => v.Key));
        Assert.Equal([r1, r2], _cache.List(_keys.Replicas + "default/web/").Select(v => v.Key));
        Assert.True(await _cache.WaitForRevisionAsync((await _kv.CommitAsync(new EtcdTxn().DeleteKey(r1))).Revision));
        Assert.Equal([r2], _cache.List(_keys.Replicas).Select(v => v.Key));
        Assert.Equal([r2], _cache.List(_keys.Replicas + "default/web/").Select(v => v.Key));
    }

    [Fact]
    public async Task Lists_of_different_records_kept_for_asking_again_never_mix_not_even_empty_ones()
    {
        var store = Store;
        // Every empty list the cache answers is the same empty array: what the store keeps per listed array must not
        // hand the replicas' (empty) list to a reader of statuses.
        Assert.Empty(await store.ListReplicasAsync());
        Assert.Empty(await store.ListReplicaStatusesAsync());
        await store.ApplyServicesAsync([new ServiceObject { Metadata = new ObjectMeta { Name = "web" }, Spec = new ServiceSpec { Image = "x", Replicas = 1 } }], dryRun: false);
        var web = (await store.GetServiceAsync("default", "web"))!;
        await store.AddReplicasAsync(web, [new Replica { Id = "r1", Service = "web", Slot = 1, Node = "n1" }]);
        await store.SaveReplicaStatusesAsync([new ReplicaStatus { ReplicaId = "r1", Service = "web", Node = "n1", State = ReplicaState.Running }]);
        Assert.Equal("r1", Assert.Single(await store.ListReplicasAsync()).Id);
        Assert.Equal(ReplicaState.Running, Assert.Single(await store.ListReplicaStatusesAsync()).State);
        Assert.Same(await store.ListReplicasAsync(), await store.ListReplicasAsync());
        Assert.Empty(await store.ListReplicasAsync("default", "other"));
    }

    [Fact]
    public async Task A_write_is_visible_to_the_next_read_of_the_same_store()
    {
        await Store.ApplyServicesAsync([new ServiceObject { Metadata = new ObjectMeta { Name = "mine" }, Spec = new ServiceSpec { Image = "x", Replicas = 3 } }], dryRun: false);
        var svc = await Store.GetServiceAsync("default", "mine");
        Assert.NotNull(svc);
        var store = Store;
        // Thirty writes, each read back at once: the store waited for the cache to reach its own write every time
        // (without that, the watch's event would lose this race most of the times).
        for (var i = 1; i <= 30; i++)
        {
            Assert.Equal(1, (await store.AddReplicasAsync(svc!, [new Replica { Id = $"m{i:D2}", Service = "mine", Slot = i, Node = "n1" }])).Count);
            Assert.Equal(i, (await store.ListReplicasAsync("default", "mine")).Count);
            await store.UpdateNodeAsync("n1", n => (n ?? new NodeInfo { Name = "n1" }) with { ObservedRevision = i });
            Assert.Equal(i, (await store.GetNodeAsync("n1"))!.ObservedRevision);
        }
    }

    [Fact]
    public async Task A_consistent_read_sees_a_write_made_by_another_client_and_a_revision_made_outside_the_root()
    {
        using var other = EtcdKv.Connect(etcd.ClientUrl);
        await other.CommitAsync(new EtcdTxn().PutValue(_keys.Node("elsewhere"), Json.Serialize(new NodeInfo { Name = "elsewhere" })));
        // The newest revision of the store changes nothing under this cache's root: progress must still reach it.
        var outside = await other.CommitAsync(new EtcdTxn().PutValue("/not-ours-" + Guid.NewGuid().ToString("N"), "1"));

        await Store.SyncAsync();

        Assert.True(_cache.Revision >= outside.Revision);
        Assert.NotNull(await Store.GetNodeAsync("elsewhere"));
    }

    [Fact]
    public async Task A_status_of_a_replica_this_cache_has_not_seen_yet_is_written_and_said_written()
    {
        // Placed through another control plane a moment ago: in etcd, not yet in this cache (its watch stopped here).
        // The agent already runs it and reports it; the report was dropped as "no such replica" and never sent again.
        await _cache.StopAsync(default);
        var replica = new Replica { Id = "fresh1", Namespace = "default", Service = "web", Slot = 1, Node = "n1" };
        await _kv.CommitAsync(new EtcdTxn().PutValue(_keys.Replica("default", "web", "fresh1"), Json.Serialize(replica)));

        var written = await Store.SaveReplicaStatusesAsync(
            [new ReplicaStatus { ReplicaId = "fresh1", Service = "web", Node = "n1", State = ReplicaState.Running }]);

        Assert.Equal("fresh1", Assert.Single(written).ReplicaId);
        Assert.NotNull(await _kv.GetAsync(_keys.ReplicaStatus("default", "web", "fresh1")));
        // One whose replica is nowhere is dropped, and the answer says it was not written.
        Assert.Empty(await Store.SaveReplicaStatusesAsync([new ReplicaStatus { ReplicaId = "ghost", Service = "web", State = ReplicaState.Running }]));
    }

    [Fact]
    public async Task After_a_compaction_that_outran_the_watch_it_lists_again_and_matches_etcd()
    {
        await _cache.StopAsync(default);
        var relists = _cache.Relists;
        // While the cache is away: a change, a deletion, then history compacted past what it saw.
        await _kv.CommitAsync(new EtcdTxn().PutValue(_keys.Node("new"), "{}"));
        var last = await _kv.CommitAsync(new EtcdTxn().DeleteKey(_keys.Node("before")));
        await _kv.CompactAsync(last.Revision);

        await _cache.StartAsync(default);
        Assert.True(await _cache.CatchUpAsync());

        Assert.Equal(relists + 1, _cache.Relists);
        Assert.Equal([_keys.Node("new")], _cache.List(_keys.Nodes).Select(v => v.Key));
    }

    [Fact]
    public async Task A_consistent_read_after_a_restart_waits_until_the_watch_brought_every_change_it_missed()
    {
        // A cache that gives its watch no time before it looks for another way to know it is up to date.
        var eager = new ClusterCache(_kv, _keys, TimeProvider.System, NullLogger<ClusterCache>.Instance) { MarkAfter = TimeSpan.Zero };
        await eager.StartAsync(default);
        try
        {
            Assert.True(await eager.CatchUpAsync());
            await eager.StopAsync(default);
            // While it is away: many changes, so its watch starts far behind etcd and must catch up.
            for (var txn = 0; txn < 16; txn++)
            {
                var t = new EtcdTxn();
                for (var i = 0; i < 125; i++) t.PutValue($"{_keys.Nodes}away-{txn:D2}-{i:D3}", "{}");
                await _kv.CommitAsync(t);
            }
            await eager.StartAsync(default);
            Assert.True(await eager.CatchUpAsync());

            // What the read point promises: everything etcd held then. (A progress answer of etcd 3.4.23 lets it
            // return while the watch is still sending the missed changes.)
            Assert.Equal(2000, eager.List(_keys.Nodes + "away-").Count);
        }
        finally
        {
            await eager.StopAsync(default);
        }
    }

    [Fact]
    public async Task Lists_past_the_default_4_MiB_answer_come_in_pages()
    {
        // 6 MiB under one prefix, written in 1 MiB transactions.
        var value = new string('x', 100_000);
        for (var txn = 0; txn < 6; txn++)
        {
            var t = new EtcdTxn();
            for (var i = 0; i < 10; i++) t.PutValue($"{_keys.Nodes}big-{txn:D2}-{i:D2}", value);
            await _kv.CommitAsync(t);
        }

        var (items, _) = await _kv.ListAsync(_keys.Nodes + "big-");

        Assert.Equal(60, items.Count);
        Assert.True(await _cache.CatchUpAsync());
        Assert.Equal(items.Select(i => i.Key), _cache.List(_keys.Nodes + "big-").Select(v => v.Key));
    }

    [Fact]
    public async Task A_list_of_more_keys_than_a_page_is_read_whole_at_one_revision()
    {
        for (var txn = 0; txn < 20; txn++)
        {
            var t = new EtcdTxn();
            for (var i = 0; i < 125; i++) t.PutValue($"{_keys.Replicas}default/many/{txn:D2}{i:D3}", "{}");
            await _kv.CommitAsync(t);
        }

        var (items, revision) = await _kv.ListAsync(_keys.Replicas);

        Assert.Equal(2500, items.Count);
        Assert.Equal(2500, items.Select(i => i.Key).Distinct().Count());
        Assert.Equal(await _kv.CurrentRevisionAsync(), revision);
    }
}
