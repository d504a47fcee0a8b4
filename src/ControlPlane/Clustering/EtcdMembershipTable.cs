using System.Globalization;
using System.Text.Json;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Mvccpb;
using Orchestrator.ControlPlane.Storage;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orchestrator.ControlPlane.Clustering;

/// <summary>
/// Orleans' membership table kept in etcd (see <see cref="MembershipKeys"/> for the layout).
/// Etags are etcd mod revisions written as decimal strings: the table version's etag is the version
/// key's mod revision and a row's etag is its silo key's. Every conditional write is one etcd
/// transaction comparing those revisions, so a stale writer loses instead of overwriting.
/// </summary>
internal sealed class EtcdMembershipTable : IMembershipTable, IDisposable
{
    // Both the version row and a silo row that do not exist yet compare as revision 0 in etcd.
    private const long Absent = 0;
    private static readonly TableVersion EmptyTableVersion = new(0, "0");

    private readonly EtcdClient _etcd;
    private readonly string _keyPrefix;
    private readonly MembershipKeys _keys;

    public EtcdMembershipTable(IOptions<EtcdClusteringOptions> options, IOptions<ClusterOptions> cluster)
    {
        _etcd = new EtcdClient(options.Value.ConnectionString, configureChannelOptions: o => EtcdKv.ConfigureChannel(o, options.Value.Tls));
        _keyPrefix = options.Value.KeyPrefix;
        _keys = new MembershipKeys(_keyPrefix, cluster.Value.ClusterId);
    }

    internal MembershipKeys Keys => _keys;

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken = default)
    {
        if (!tryInitTableVersion)
        {
            return;
        }

        // Only the first silo creates the version row; later ones find it and change nothing.
        var create = new TxnRequest();
        create.Compare.Add(ModRevisionIs(_keys.Version, Absent));
        create.Success.Add(Put(_keys.Version, SerializeVersion(EmptyTableVersion.Version)));
        await _etcd.TransactionAsync(create, cancellationToken: cancellationToken);
    }

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        // One range request over the root is served at one revision: version and rows agree.
        var range = await _etcd.GetRangeAsync(_keys.Root, cancellationToken: cancellationToken);
        var version = range.Kvs.FirstOrDefault(kv => kv.Key.ToStringUtf8() == _keys.Version);
        var rows = range.Kvs.Where(kv => kv.Key.ToStringUtf8().StartsWith(_keys.Silos, StringComparison.Ordinal)).Select(ToRow).ToList();
        return new MembershipTableData(rows, ToTableVersion(version));
    }

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken = default)
    {
        // A transaction without compares runs both reads at one revision.
        var read = new TxnRequest();
        read.Success.Add(Get(_keys.Version));
        read.Success.Add(Get(_keys.Silo(key)));
        var response = await _etcd.TransactionAsync(read, cancellationToken: cancellationToken);
        var version = ToTableVersion(response.Responses[0].ResponseRange.Kvs.SingleOrDefault());
        var rows = response.Responses[1].ResponseRange.Kvs.Select(ToRow).ToList();
        return new MembershipTableData(rows, version);
    }

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken = default) =>
        WriteRowAsync(entry, Absent, tableVersion, cancellationToken);

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken = default) =>
        // A row that exists never has revision 0, so a non-positive etag cannot name one.
        TryParseRevision(etag, out var rowRevision) && rowRevision > Absent
            ? WriteRowAsync(entry, rowRevision, tableVersion, cancellationToken)
            : Task.FromResult(false);

    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken = default)
    {
        var key = _keys.Silo(entry.SiloAddress);
        // Read-modify-write guarded by the row's revision: a suspicion or death written meanwhile
        // by another silo must survive this heartbeat, so a lost race rereads rather than overwrites.
        while (true)
        {
            var current = (await _etcd.GetAsync(key, cancellationToken: cancellationToken)).Kvs.SingleOrDefault()
                ?? throw new InvalidOperationException($"No membership row for silo {entry.SiloAddress} at {key}; it was removed from the table.");
            var row = MembershipRecord.Deserialize(current.Value.ToStringUtf8());
            row.IAmAliveTime = entry.IAmAliveTime;

            var heartbeat = new TxnRequest();
            heartbeat.Compare.Add(ModRevisionIs(key, current.ModRevision));
            heartbeat.Success.Add(Put(key, MembershipRecord.Serialize(row)));
            if ((await _etcd.TransactionAsync(heartbeat, cancellationToken: cancellationToken)).Succeeded)
            {
                return;
            }
        }
    }

    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        await _etcd.DeleteRangeAsync(new MembershipKeys(_keyPrefix, clusterId).Root, cancellationToken: cancellationToken);
    }

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken = default)
    {
        var range = await _etcd.GetRangeAsync(_keys.Silos, cancellationToken: cancellationToken);
        foreach (var kv in range.Kvs)
        {
            var entry = MembershipRecord.Deserialize(kv.Value.ToStringUtf8());
            if (entry.Status != SiloStatus.Dead || LastUpdate(entry) >= beforeDate.UtcDateTime)
            {
                continue;
            }

            // Delete only the row as read: if it changed since, it is no longer the defunct row we judged.
            var delete = new TxnRequest();
            delete.Compare.Add(ModRevisionIs(kv.Key, kv.ModRevision));
            delete.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = kv.Key } });
            await _etcd.TransactionAsync(delete, cancellationToken: cancellationToken);
        }
    }

    public void Dispose() => _etcd.Dispose();

    /// <summary>
    /// Writes the row and the new table version in one transaction, which holds only if neither the
    /// version row nor the silo row moved since the caller read them (<paramref name="rowRevision"/>
    /// <see cref="Absent"/> for an insert). False, with nothing written, when either moved.
    /// </summary>
    private async Task<bool> WriteRowAsync(MembershipEntry entry, long rowRevision, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        if (!TryParseRevision(tableVersion.VersionEtag, out var versionRevision))
        {
            return false;
        }

        var key = _keys.Silo(entry.SiloAddress);
        var write = new TxnRequest();
        write.Compare.Add(ModRevisionIs(_keys.Version, versionRevision));
        write.Compare.Add(ModRevisionIs(key, rowRevision));
        write.Success.Add(Put(_keys.Version, SerializeVersion(tableVersion.Version)));
        write.Success.Add(Put(key, MembershipRecord.Serialize(entry)));
        return (await _etcd.TransactionAsync(write, cancellationToken: cancellationToken)).Succeeded;
    }

    // Declaring a silo dead records a suspicion vote, so counting votes keeps a long-silent silo that was
    // declared dead only recently visible to the others (Orleans' own cleanup rule, internal there).
    private static DateTime LastUpdate(MembershipEntry entry) =>
        (entry.SuspectTimes ?? []).Select(vote => vote.Item2).Append(entry.StartTime).Append(entry.IAmAliveTime).Max();

    private static Tuple<MembershipEntry, string> ToRow(KeyValue kv) =>
        Tuple.Create(MembershipRecord.Deserialize(kv.Value.ToStringUtf8()), FormatRevision(kv.ModRevision));

    // A table whose version row is missing (never initialised, or deleted) reads as empty at version 0;
    // its etag "0" lets the next insert recreate the version row, as the SQL providers do.
    private static TableVersion ToTableVersion(KeyValue? version) => version is null
        ? EmptyTableVersion
        : new TableVersion(JsonSerializer.Deserialize<VersionRecord>(version.Value.ToStringUtf8(), VersionRecord.Json)!.Version, FormatRevision(version.ModRevision));

    private static string SerializeVersion(int version) => JsonSerializer.Serialize(new VersionRecord(version), VersionRecord.Json);

    private static Compare ModRevisionIs(string key, long revision) => ModRevisionIs(ByteString.CopyFromUtf8(key), revision);

    private static Compare ModRevisionIs(ByteString key, long revision) => new()
    {
        Key = key,
        Target = Compare.Types.CompareTarget.Mod,
        Result = Compare.Types.CompareResult.Equal,
        ModRevision = revision,
    };

    private static RequestOp Put(string key, string json) =>
        new() { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(json) } };

    private static RequestOp Get(string key) => new() { RequestRange = new RangeRequest { Key = ByteString.CopyFromUtf8(key) } };

    private static string FormatRevision(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    // Etags come back from Orleans exactly as we formatted them; anything else is not one of ours.
    private static bool TryParseRevision(string? etag, out long revision) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out revision);

    /// <summary>The version row's JSON: <c>{"version":3}</c>.</summary>
    private sealed record VersionRecord(int Version)
    {
        public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    }

    // Orleans 10 still declares the pre-cancellation members; they forward to the ones above.
    Task IMembershipTable.InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion);
    Task IMembershipTable.DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId);
    Task IMembershipTable.CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate);
    Task<MembershipTableData> IMembershipTable.ReadRow(SiloAddress key) => ReadRowAsync(key);
    Task<MembershipTableData> IMembershipTable.ReadAll() => ReadAllAsync();
    Task<bool> IMembershipTable.InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion);
    Task<bool> IMembershipTable.UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion);
    Task IMembershipTable.UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry);
}
