using dotnet_etcd;
using Orleans;
using Orleans.Runtime;
using Orchestrator.ControlPlane.Clustering;
using Orchestrator.ControlPlane.Tests.Infrastructure;
using static Orchestrator.ControlPlane.Tests.Clustering.MembershipTableFixture;

namespace Orchestrator.ControlPlane.Tests.Clustering;

/// <summary>
/// The contract Orleans' membership protocol relies on (after Orleans' MembershipTableTestsBase),
/// checked against a real etcd.
/// </summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EtcdMembershipTableTests : IAsyncLifetime
{
    private readonly EtcdServer _etcd;
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";
    private readonly EtcdMembershipTable _table;

    public EtcdMembershipTableTests(EtcdServer etcd)
    {
        _etcd = etcd;
        _table = NewTable(etcd, _clusterId);
    }

    public Task InitializeAsync() => _table.InitializeMembershipTableAsync(tryInitTableVersion: true);

    public Task DisposeAsync()
    {
        _table.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_new_table_is_empty_at_version_0()
    {
        var data = await _table.ReadAllAsync();

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
    }

    [Fact]
    public async Task An_inserted_row_reads_back_whole_with_the_new_version()
    {
        var entry = NewEntry();
        entry.SuspectTimes!.Add(Tuple.Create(NewEntry().SiloAddress, DateTime.UtcNow));

        Assert.True(await InsertAsync(entry));

        var all = await _table.ReadAllAsync();
        var row = await _table.ReadRowAsync(entry.SiloAddress);
        Assert.Equal(1, all.Version.Version);
        AssertSameEntry(entry, Assert.Single(all.Members).Item1);
        AssertSameEntry(entry, Assert.Single(row.Members).Item1);
        Assert.Equal(all.Members[0].Item2, row.Members[0].Item2);
        Assert.Equal(all.Version.VersionEtag, row.Version.VersionEtag);
    }

    [Fact]
    public async Task Reading_a_missing_row_gives_no_member_and_the_table_version()
    {
        await InsertAsync(NewEntry());

        var row = await _table.ReadRowAsync(NewEntry().SiloAddress);

        Assert.Empty(row.Members);
        Assert.Equal(1, row.Version.Version);
    }

    [Fact]
    public async Task A_second_initialisation_leaves_the_table_as_it_is()
    {
        var entry = NewEntry();
        await InsertAsync(entry);

        await _table.InitializeMembershipTableAsync(tryInitTableVersion: true);

        var data = await _table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task Inserting_a_silo_that_is_already_there_fails()
    {
        var entry = NewEntry();
        await InsertAsync(entry);

        Assert.False(await InsertAsync(entry));
    }

    [Fact]
    public async Task Inserting_with_a_stale_table_version_fails_and_writes_nothing()
    {
        var stale = (await _table.ReadAllAsync()).Version;
        Assert.True(await _table.InsertRowAsync(NewEntry(), stale.Next()));

        var late = NewEntry();
        Assert.False(await _table.InsertRowAsync(late, stale.Next()));

        var data = await _table.ReadAllAsync();
        Assert.Null(data.TryGet(late.SiloAddress));
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task Updating_with_the_current_etags_replaces_the_row_and_bumps_the_version()
    {
        var entry = NewEntry();
        await InsertAsync(entry);
        var read = await _table.ReadAllAsync();

        entry.Status = SiloStatus.Active;
        Assert.True(await _table.UpdateRowAsync(entry, read.Row(entry.SiloAddress).Item2, read.Version.Next()));

        var after = await _table.ReadAllAsync();
        Assert.Equal(2, after.Version.Version);
        AssertSameEntry(entry, after.Row(entry.SiloAddress).Item1);
        Assert.NotEqual(read.Row(entry.SiloAddress).Item2, after.Row(entry.SiloAddress).Item2);
    }

    [Fact]
    public async Task Updating_with_a_stale_row_etag_fails()
    {
        var entry = NewEntry();
        await InsertAsync(entry);
        var staleEtag = (await _table.ReadAllAsync()).Row(entry.SiloAddress).Item2;
        await UpdateAsync(entry, SiloStatus.Active);

        entry.Status = SiloStatus.Dead;
        var current = await _table.ReadAllAsync();
        Assert.False(await _table.UpdateRowAsync(entry, staleEtag, current.Version.Next()));
        Assert.Equal(SiloStatus.Active, (await _table.ReadAllAsync()).Row(entry.SiloAddress).Item1.Status);
    }

    [Fact]
    public async Task Updating_a_current_row_with_a_stale_table_version_fails()
    {
        var first = NewEntry();
        var second = NewEntry();
        await InsertAsync(first);
        await InsertAsync(second);
        var read = await _table.ReadAllAsync();
        await UpdateAsync(first, SiloStatus.Active);

        // The second row did not change, but the table did: the caller's view is stale.
        second.Status = SiloStatus.Active;
        Assert.False(await _table.UpdateRowAsync(second, read.Row(second.SiloAddress).Item2, read.Version.Next()));
        Assert.Equal(SiloStatus.Joining, (await _table.ReadAllAsync()).Row(second.SiloAddress).Item1.Status);
    }

    [Fact]
    public async Task Updating_a_missing_row_fails()
    {
        var read = await _table.ReadAllAsync();

        Assert.False(await _table.UpdateRowAsync(NewEntry(), read.Version.VersionEtag, read.Version.Next()));
        Assert.False(await _table.UpdateRowAsync(NewEntry(), "0", read.Version.Next()));
        Assert.Empty((await _table.ReadAllAsync()).Members);
    }

    [Fact]
    public async Task Of_writers_racing_from_the_same_view_exactly_one_wins()
    {
        var entries = Enumerable.Range(0, 8).Select(_ => NewEntry()).ToList();
        foreach (var entry in entries)
        {
            await InsertAsync(entry);
        }

        var read = await _table.ReadAllAsync();
        var results = await Task.WhenAll(entries.Select(entry =>
        {
            entry.Status = SiloStatus.Active;
            return _table.UpdateRowAsync(entry, read.Row(entry.SiloAddress).Item2, read.Version.Next());
        }));

        Assert.Single(results, won => won);
        Assert.Equal(read.Version.Version + 1, (await _table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task UpdateIAmAlive_changes_only_the_heartbeat_and_not_the_version()
    {
        var entry = NewEntry(SiloStatus.Active);
        await InsertAsync(entry);
        var before = await _table.ReadAllAsync();

        var heartbeat = NewEntry(SiloStatus.Dead);
        heartbeat.SiloAddress = entry.SiloAddress;
        heartbeat.IAmAliveTime = entry.IAmAliveTime.AddSeconds(30);
        await _table.UpdateIAmAliveAsync(heartbeat);

        var after = await _table.ReadAllAsync();
        Assert.Equal(before.Version.Version, after.Version.Version);
        Assert.Equal(before.Version.VersionEtag, after.Version.VersionEtag);
        entry.IAmAliveTime = heartbeat.IAmAliveTime;
        AssertSameEntry(entry, after.Row(entry.SiloAddress).Item1);
    }

    [Fact]
    public async Task UpdateIAmAlive_of_a_removed_silo_fails_loudly()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _table.UpdateIAmAliveAsync(NewEntry()));
    }

    [Fact]
    public async Task ReadAll_returns_etags_from_one_snapshot_that_every_update_accepts()
    {
        var entries = Enumerable.Range(0, 3).Select(_ => NewEntry()).ToList();
        foreach (var entry in entries)
        {
            await InsertAsync(entry);
        }

        await _table.UpdateIAmAliveAsync(entries[1]);
        var read = await _table.ReadAllAsync();

        Assert.Equal(3, read.Version.Version);
        Assert.Equal(entries.Select(e => e.SiloAddress).Order(), read.Members.Select(m => m.Item1.SiloAddress).Order());
        // Any one row can be updated with the etags of this single read.
        var target = entries[1];
        target.Status = SiloStatus.Active;
        Assert.True(await _table.UpdateRowAsync(target, read.Row(target.SiloAddress).Item2, read.Version.Next()));
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_silos_silent_since_before_the_date()
    {
        var longAgo = DateTime.UtcNow.AddHours(-2);
        var defunct = NewEntry(SiloStatus.Dead, longAgo);
        var recentlyDead = NewEntry(SiloStatus.Dead);
        var quietButAlive = NewEntry(SiloStatus.Active, longAgo);
        var declaredDeadRecently = NewEntry(SiloStatus.Dead, longAgo);
        declaredDeadRecently.SuspectTimes!.Add(Tuple.Create(recentlyDead.SiloAddress, DateTime.UtcNow));
        foreach (var entry in new[] { defunct, recentlyDead, quietButAlive, declaredDeadRecently })
        {
            await InsertAsync(entry);
        }

        await _table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddHours(-1));

        var left = await _table.ReadAllAsync();
        Assert.Null(left.TryGet(defunct.SiloAddress));
        Assert.NotNull(left.TryGet(recentlyDead.SiloAddress));
        Assert.NotNull(left.TryGet(quietButAlive.SiloAddress));
        Assert.NotNull(left.TryGet(declaredDeadRecently.SiloAddress));
    }

    [Fact]
    public async Task Deleting_a_cluster_removes_its_table_and_leaves_other_clusters_alone()
    {
        using var other = NewTable(_etcd);
        await other.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var neighbour = NewEntry();
        Assert.True(await other.InsertRowAsync(neighbour, (await other.ReadAllAsync()).Version.Next()));
        await InsertAsync(NewEntry());

        await _table.DeleteMembershipTableEntriesAsync(_clusterId);

        var gone = await _table.ReadAllAsync();
        Assert.Empty(gone.Members);
        Assert.Equal(0, gone.Version.Version);
        Assert.NotNull((await other.ReadAllAsync()).TryGet(neighbour.SiloAddress));
        // A silo that starts again after the delete can still join: the table comes back with it.
        Assert.True(await InsertAsync(NewEntry()));
    }

    [Fact]
    public async Task Rows_are_readable_json_under_the_cluster_prefix()
    {
        var entry = NewEntry(SiloStatus.Active);
        await InsertAsync(entry);

        using var client = new EtcdClient(_etcd.ClientUrl);
        var json = (await client.GetAsync(_table.Keys.Silo(entry.SiloAddress))).Kvs.Single().Value.ToStringUtf8();

        Assert.StartsWith(EtcdClusteringOptions.DefaultKeyPrefix, _table.Keys.Root);
        Assert.Contains("\"status\":\"Active\"", json);
        Assert.Contains($"\"siloAddress\":\"{entry.SiloAddress.ToParsableString()}\"", json);
    }

    private async Task<bool> InsertAsync(MembershipEntry entry) =>
        await _table.InsertRowAsync(entry, (await _table.ReadAllAsync()).Version.Next());

    private async Task UpdateAsync(MembershipEntry entry, SiloStatus status)
    {
        var read = await _table.ReadAllAsync();
        entry.Status = status;
        Assert.True(await _table.UpdateRowAsync(entry, read.Row(entry.SiloAddress).Item2, read.Version.Next()));
    }
}
