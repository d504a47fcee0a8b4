using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Tests.Infrastructure;

namespace Orchestrator.ControlPlane.Tests.Storage;

/// <summary>What the store claims to keep, checked against a real etcd.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ClusterStoreTests(EtcdServer etcd) : IDisposable
{
    private readonly EtcdKv _kv = EtcdKv.Connect(etcd.ClientUrl);
    private readonly Keys _keys = new("/test-" + Guid.NewGuid().ToString("N")[..8]);
    private ClusterStore Store => new(_kv, _keys, TimeProvider.System);

    public void Dispose() => _kv.Dispose();

    private static ServiceObject Svc(string name, int replicas = 2, string image = "local/web:1") => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new ServiceSpec { Image = image, Replicas = replicas, Resources = new ResourceSpec { Memory = "32Mi" } },
    };

    private static Replica ReplicaOf(ServiceObject s, string id, int slot, string node = "n1") => new()
    {
        Id = id, Service = s.Metadata.Name, Namespace = s.Metadata.Namespace, Slot = slot, Node = node,
        Container = ContainerSpec.From(s.Spec), SpecHash = ContainerSpec.From(s.Spec).Hash(),
    };

    [Fact]
    public async Task Apply_creates_then_reports_unchanged_then_configured_with_a_new_generation()
    {
        var first = await Store.ApplyServicesAsync([Svc("web")], dryRun: false);
        var again = await Store.ApplyServicesAsync([Svc("web")], dryRun: false);
        var changed = await Store.ApplyServicesAsync([Svc("web", image: "local/web:2")], dryRun: false);

        Assert.Equal((ApplyActions.Created, 1L), (first[0].Action, first[0].Generation));
        Assert.Equal((ApplyActions.Unchanged, 1L), (again[0].Action, again[0].Generation));
        Assert.Equal((ApplyActions.Configured, 2L), (changed[0].Action, changed[0].Generation));
        var stored = await Store.GetServiceAsync("default", "web");
        Assert.Equal("local/web:2", stored!.Spec.Image);
        Assert.True(stored.Metadata.ResourceVersion > 0);
        // Readable: the key a person would look for holds plain JSON.
        var raw = await _kv.GetAsync(_keys.Service("default", "web"));
        Assert.Contains("\"image\":\"local/web:2\"", raw!.Value);
    }

    [Fact]
    public async Task A_dry_run_writes_nothing()
    {
        var result = await Store.ApplyServicesAsync([Svc("dry")], dryRun: true);

        Assert.Equal(ApplyActions.Created, result[0].Action);
        Assert.Null(await Store.GetServiceAsync("default", "dry"));
    }

    [Fact]
    public async Task A_service_named_without_a_namespace_lists_that_service_in_every_namespace_and_nothing_else()
    {
        var web = Svc("web") with { Metadata = new ObjectMeta { Name = "web" } };
        var teamWeb = Svc("web") with { Metadata = new ObjectMeta { Name = "web", Namespace = "team-a" } };
        var api = Svc("api");
        await Store.ApplyServicesAsync([web, teamWeb, api], dryRun: false);
        foreach (var (ns, name, id) in new[] { ("default", "web", "w1"), ("team-a", "web", "t1"), ("default", "api", "a1") })
        {
            var stored = (await Store.GetServiceAsync(ns, name))!;
            Assert.Equal(1, (await Store.AddReplicasAsync(stored, [ReplicaOf(stored, id, 1)])).Count);
        }

        Assert.Equal(["t1", "w1"], (await Store.ListReplicasAsync(null, "web")).Select(r => r.Id).Order());
        Assert.Equal(["w1"], (await Store.ListReplicasAsync("default", "web")).Select(r => r.Id));
        Assert.Equal(3, (await Store.ListReplicasAsync()).Count);
    }

    [Fact]
    public async Task What_was_stored_survives_a_new_client_as_a_restarted_control_plane_would_be()
    {
        await Store.ApplyServicesAsync([Svc("durable", replicas: 3)], dryRun: false);
        var svc = (await Store.GetServiceAsync("default", "durable"))!;
        Assert.Equal(2, (await Store.AddReplicasAsync(svc, [ReplicaOf(svc, "a1", 1), ReplicaOf(svc, "a2", 2)])).Count);

        using var freshKv = EtcdKv.Connect(etcd.ClientUrl);
        var fresh = new ClusterStore(freshKv, _keys, TimeProvider.System);

        Assert.Equal(3, (await fresh.GetServiceAsync("default", "durable"))!.Spec.Replicas);
        Assert.Equal(["a1", "a2"], (await fresh.ListReplicasAsync("default", "durable")).Select(r => r.Id).Order());
    }

    [Fact]
    public async Task Replicas_placed_for_a_stale_service_revision_are_refused()
    {
        await Store.ApplyServicesAsync([Svc("stale")], dryRun: false);
        var seen = (await Store.GetServiceAsync("default", "stale"))!;
        await Store.ScaleServiceAsync("default", "stale", 5);

        var written = await Store.AddReplicasAsync(seen, [ReplicaOf(seen, "late", 1)]);

        Assert.Empty(written);
        Assert.Empty(await Store.ListReplicasAsync("default", "stale"));
    }

    [Fact]
    public async Task Removing_a_replica_that_changed_since_it_was_read_loses()
    {
        await Store.ApplyServicesAsync([Svc("race")], dryRun: false);
        var svc = (await Store.GetServiceAsync("default", "race"))!;
        await Store.AddReplicasAsync(svc, [ReplicaOf(svc, "r1", 1)]);
        var read = (await Store.ListReplicasAsync("default", "race")).Single();
        // Someone else rewrites it meanwhile.
        await _kv.CommitAsync(new EtcdTxn().PutValue(_keys.Replica("default", "race", "r1"), Json.Serialize(read with { Node = "n2", ResourceVersion = 0 })));

        Assert.Null(await Store.RemoveReplicasAsync([read]));
        Assert.Single(await Store.ListReplicasAsync("default", "race"));
    }

    [Fact]
    public async Task Two_thousand_replicas_are_written_reported_marked_and_removed_in_steps_under_etcds_transaction_limits()
    {
        // One transaction of 2,000 keys is what etcd refuses ("too many operations in txn request"); steps are not.
        await Store.ApplyServicesAsync([Svc("big", replicas: 2000)], dryRun: false);
        var svc = (await Store.GetServiceAsync("default", "big"))!;
        var many = Enumerable.Range(1, 2000).Select(i => ReplicaOf(svc, $"b{i:D4}", i, node: $"n{i % 7}")).ToList();

        Assert.Equal(2000, (await Store.AddReplicasAsync(svc, many)).Count);
        var stored = await Store.ListReplicasAsync("default", "big");
        Assert.Equal(many.Select(r => r.Id), stored.Select(r => r.Id).Order());

        // A report of every one of them (and of one that does not exist, which is dropped) is written in steps too.
        var report = many.Select(r => new ReplicaStatus { ReplicaId = r.Id, Namespace = "default", Service = "big", State = ReplicaState.Running, ContainerId = "c" + r.Id })
            .Append(new ReplicaStatus { ReplicaId = "ghost", Namespace = "default", Service = "big", State = ReplicaState.Running }).ToList();
        await Store.SaveReplicaStatusesAsync(report);
        var statuses = await Store.ListReplicaStatusesAsync("default", "big");
        Assert.Equal(many.Select(r => r.Id), statuses.Select(s => s.ReplicaId).Order());
        Assert.All(statuses, s => Assert.Equal("c" + s.ReplicaId, s.ContainerId));

        Assert.Equal(2000, await Store.TerminateReplicasAsync(stored.Select(r => (r, "test")).ToList()));
        var terminating = await Store.ListReplicasAsync("default", "big");
        Assert.All(terminating, r => Assert.True(r.Terminating));

        var removal = await Store.RemoveReplicasAsync(terminating);
        Assert.Equal(2000, removal!.Count);
        Assert.Equal(await _kv.CurrentRevisionAsync(), removal.Revision);
        Assert.Empty(await Store.ListReplicasAsync("default", "big"));
    }

    [Fact]
    public async Task A_step_that_loses_leaves_its_replicas_unwritten_and_the_answer_names_those_written()
    {
        await Store.ApplyServicesAsync([Svc("half", replicas: 300)], dryRun: false);
        var svc = (await Store.GetServiceAsync("default", "half"))!;
        var many = Enumerable.Range(1, 300).Select(i => ReplicaOf(svc, $"h{i:D3}", i)).ToList();
        // Someone else already holds a key of the second step: that step loses whole, the first and third are stored.
        await _kv.CommitAsync(new EtcdTxn().PutValue(_keys.Replica("default", "half", "h150"), Json.Serialize(many[149])));

        var written = await Store.AddReplicasAsync(svc, many);

        Assert.InRange(written.Count, 150, 299);
        Assert.DoesNotContain(written, r => r.Id == "h150");
        var stored = await Store.ListReplicasAsync("default", "half");
        Assert.Equal(written.Select(r => r.Id).Append("h150").Order(), stored.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task Scale_changes_only_the_replica_count()
    {
        await Store.ApplyServicesAsync([Svc("scaled")], dryRun: false);

        var result = await Store.ScaleServiceAsync("default", "scaled", 7);
        var missing = await Store.ScaleServiceAsync("default", "nope", 7);

        Assert.Equal(ApplyActions.Configured, result!.Action);
        Assert.Null(missing);
        var stored = (await Store.GetServiceAsync("default", "scaled"))!;
        Assert.Equal(7, stored.Spec.Replicas);
        Assert.Equal("local/web:1", stored.Spec.Image);
    }

    [Fact]
    public async Task Delete_removes_the_service_its_replicas_and_their_statuses_together()
    {
        await Store.ApplyServicesAsync([Svc("gone")], dryRun: false);
        var svc = (await Store.GetServiceAsync("default", "gone"))!;
        await Store.AddReplicasAsync(svc, [ReplicaOf(svc, "g1", 1)]);
        await Store.SaveReplicaStatusesAsync([new ReplicaStatus { ReplicaId = "g1", Service = "gone", State = ReplicaState.Running }]);
        Assert.Single(await Store.ListReplicaStatusesAsync("default", "gone"));

        Assert.True(await Store.DeleteServiceAsync("default", "gone"));

        Assert.Null(await Store.GetServiceAsync("default", "gone"));
        Assert.Empty(await Store.ListReplicasAsync("default", "gone"));
        Assert.Empty(await Store.ListReplicaStatusesAsync("default", "gone"));
        Assert.False(await Store.DeleteServiceAsync("default", "gone"));
    }

    [Fact]
    public async Task A_status_report_about_a_replica_that_no_longer_exists_is_dropped()
    {
        await Store.SaveReplicaStatusesAsync([new ReplicaStatus { ReplicaId = "ghost", Service = "none", State = ReplicaState.Running }]);

        Assert.Empty(await Store.ListReplicaStatusesAsync("default", "none"));
    }

    [Fact]
    public async Task Nodes_are_updated_by_compare_and_swap()
    {
        var n = await Store.UpdateNodeAsync("n1", _ => new NodeInfo { Name = "n1", Capacity = new NodeCapacity { MilliCpu = 2000 } });
        var updated = await Store.UpdateNodeAsync("n1", cur => cur! with { Cordoned = true });

        Assert.True(updated.ResourceVersion > n.ResourceVersion);
        var stored = (await Store.GetNodeAsync("n1"))!;
        Assert.True(stored.Cordoned);
        Assert.Equal(2000, stored.Capacity.MilliCpu);
    }

    [Fact]
    public async Task Every_spec_change_is_a_revision_with_its_cause_and_a_scale_is_not()
    {
        await Store.ApplyServicesAsync([Svc("hist")], dryRun: false);
        await Store.ApplyServicesAsync([Svc("hist")], dryRun: false);                       // unchanged
        await Store.ApplyServicesAsync([Svc("hist", replicas: 5)], dryRun: false);          // a scale by apply
        await Store.ScaleServiceAsync("default", "hist", 7);                                // a scale
        await Store.ApplyServicesAsync([Svc("hist", replicas: 7, image: "local/web:2")], dryRun: false);

        var revisions = await Store.ListRevisionsAsync("default", "hist");

        Assert.Equal([1L, 2L], revisions.Select(r => r.Revision));
        Assert.Equal(["created", "image local/web:1 -> local/web:2"], revisions.Select(r => r.ChangeCause));
        Assert.Equal("local/web:2", revisions[1].Spec.Image);
    }

    [Fact]
    public async Task Only_the_last_ten_revisions_are_kept_and_delete_takes_them_along()
    {
        for (var i = 1; i <= 12; i++)
            await Store.ApplyServicesAsync([Svc("many", image: $"local/web:{i}")], dryRun: false);

        var revisions = await Store.ListRevisionsAsync("default", "many");
        Assert.Equal(Enumerable.Range(3, 10).Select(i => (long)i), revisions.Select(r => r.Revision));
        Assert.Equal("local/web:12", revisions[^1].Spec.Image);

        await Store.DeleteServiceAsync("default", "many");
        Assert.Empty(await Store.ListRevisionsAsync("default", "many"));
    }

    [Fact]
    public async Task An_unreadable_replica_is_left_out_of_wide_lists_and_fails_only_its_own_service()
    {
        var (good, poison) = (Svc("good", replicas: 1), Svc("poison", replicas: 1));
        await Store.ApplyServicesAsync([good, poison], dryRun: false);
        Assert.Equal(1, (await Store.AddReplicasAsync((await Store.GetServiceAsync("default", "good"))!, [ReplicaOf(good, "g1", 1)])).Count);
        // What a foreign or corrupted write leaves behind.
        var bad = _keys.ReplicasOf("default", "poison") + "0badc0";
        await _kv.CommitAsync(new EtcdTxn().PutValue(bad, "{not json"));

        Assert.Equal(["g1"], (await Store.ListReplicasAsync()).Select(r => r.Id));
        Assert.Equal(["g1"], (await Store.ReplicasToReconcileAsync("default", "good")).Select(r => r.Id));
        var refused = await Assert.ThrowsAsync<UnreadableRecordException>(() => Store.ReplicasToReconcileAsync("default", "poison"));
        Assert.Equal(bad, refused.Key);
        Assert.StartsWith($"{bad} in etcd is not a readable Replica: ", refused.Message);
    }

    [Fact]
    public async Task An_unreadable_service_is_left_out_of_the_list_but_keeps_its_key_for_the_periodic_reconcile()
    {
        await Store.ApplyServicesAsync([Svc("fine")], dryRun: false);
        await _kv.CommitAsync(new EtcdTxn().PutValue(_keys.Service("default", "broken"), "null"));

        Assert.Equal(["fine"], (await Store.ListServicesAsync(null)).Select(s => s.Metadata.Name));
        Assert.Equal(["default/broken", "default/fine"], await Store.ListServiceKeysAsync());
        await Assert.ThrowsAsync<UnreadableRecordException>(() => Store.GetServiceAsync("default", "broken"));
    }
}
