using System.Diagnostics;
using System.Runtime.CompilerServices;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Mvccpb;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>A key as etcd stores it, with the revisions that make compare-and-swap possible.</summary>
public sealed record StoredValue(string Key, string Value, long ModRevision, long CreateRevision);

/// <summary>One change seen by a watch; <see cref="Previous"/> is the value before it (etcd prev_kv).</summary>
public sealed record WatchChange(bool IsDelete, string Key, StoredValue? Current, StoredValue? Previous, long Revision);

/// <summary>The requested start revision was compacted away: the watcher must list again.</summary>
public sealed class WatchExpiredException(long compactRevision)
    : Exception($"revision compacted (oldest available: {compactRevision}); list again")
{
    public long CompactRevision { get; } = compactRevision;
}

/// <summary>
/// The control plane's only door to etcd: reads, compare-and-swap transactions, leases and resumable watches.
/// Everything above it speaks keys and JSON strings, never gRPC types.
/// </summary>
public sealed class EtcdKv(EtcdClient client) : IDisposable
{
    /// <summary>Largest answer the client takes (etcd's default request limit is 1.5 MiB, answers are unbounded).</summary>
    public const int MaxReceiveBytes = 256 << 20;

    /// <summary>Keys per page of a list: every list is paged, so no answer grows with the cluster.</summary>
    public const int PageSize = 1000;

    /// <summary>
    /// The longest wait between two attempts to reach etcd again. gRPC's default grows to 120 s, so after an outage of
    /// half a minute the control plane could stay cut off for another half minute with etcd long back.
    /// </summary>
    public static readonly TimeSpan MaxReconnectBackoff = TimeSpan.FromSeconds(1);

    public static EtcdKv Connect(string connectionString, EtcdTls? tls = null) =>
        new(new EtcdClient(connectionString, configureChannelOptions: o => ConfigureChannel(o, tls)));

    /// <summary>The gRPC channel settings of every etcd client of the control plane (this one and the membership table's).</summary>
    public static void ConfigureChannel(GrpcChannelOptions channel, EtcdTls? tls)
    {
        channel.MaxReceiveMessageSize = MaxReceiveBytes;
        channel.InitialReconnectBackoff = TimeSpan.FromMilliseconds(200);
        channel.MaxReconnectBackoff = MaxReconnectBackoff;
        tls?.Apply(channel);
    }

    public EtcdClient Client => client;

    private static ByteString B(string s) => ByteString.CopyFromUtf8(s);

    internal static StoredValue ToStored(KeyValue kv) =>
        new(kv.Key.ToStringUtf8(), kv.Value.ToStringUtf8(), kv.ModRevision, kv.CreateRevision);

    /// <summary>Runs one etcd request and records its duration by operation and outcome (orchestrator.etcd.request.duration).</summary>
    private static async Task<T> Timed<T>(string operation, Func<Task<T>> request)
    {
        var started = Stopwatch.GetTimestamp();
        var ok = false;
        try
        {
            var response = await request();
            ok = true;
            return response;
        }
        finally
        {
            RecordRequest(operation, started, ok);
        }
    }

    private static void RecordRequest(string operation, long started, bool ok) =>
        Telemetry.EtcdRequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", ok ? "ok" : "error"));

    public async Task<StoredValue?> GetAsync(string key, CancellationToken ct = default)
    {
        var r = await Timed("get", () => client.GetAsync(new RangeRequest { Key = B(key) }, cancellationToken: ct));
        return r.Kvs.Count == 0 ? null : ToStored(r.Kvs[0]);
    }

    /// <summary>
    /// Every key under the prefix, read at one revision (returned so that a watch can continue from it), in pages of
    /// <see cref="PageSize"/> keys: every page after the first is read at the first one's revision.
    /// </summary>
    public async Task<(IReadOnlyList<StoredValue> Items, long Revision)> ListAsync(string prefix, CancellationToken ct = default)
    {
        var items = new List<StoredValue>();
        var end = B(PrefixEnd(prefix));
        var from = B(prefix);
        long revision = 0;
        while (true)
        {
            var request = new RangeRequest { Key = from, RangeEnd = end, Limit = PageSize, Revision = revision };
            var r = await Timed("range", () => client.GetAsync(request, cancellationToken: ct));
            if (revision == 0) revision = r.Header.Revision;
            items.AddRange(r.Kvs.Select(ToStored));
            if (!r.More || r.Kvs.Count == 0) return (items, revision);
            // The next page starts just after the last key of this one.
            from = r.Kvs[^1].Key.Concat(new byte[] { 0 }).ToArray() is var next ? ByteString.CopyFrom(next) : from;
        }
    }

    /// <summary>The store's current revision (what a list done now would be read at).</summary>
    public async Task<long> CurrentRevisionAsync(CancellationToken ct = default)
    {
        var r = await Timed("get", () => client.GetAsync(new RangeRequest { Key = B("\0"), CountOnly = true }, cancellationToken: ct));
        return r.Header.Revision;
    }

    /// <summary>Runs the transaction: all writes happen only if every compare holds. Returns whether it did.</summary>
    public async Task<TxnOutcome> CommitAsync(EtcdTxn txn, CancellationToken ct = default)
    {
        var request = new TxnRequest();
        foreach (var (key, modRevision) in txn.Compares)
        {
            // A missing key has version 0; an existing one must still be at the revision we read.
            request.Compare.Add(modRevision == 0
                ? new Compare { Key = B(key), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Equal, Version = 0 }
                : new Compare { Key = B(key), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = modRevision });
        }
        foreach (var op in txn.Operations)
        {
            request.Success.Add(op switch
            {
                EtcdTxn.Put p => new RequestOp { RequestPut = new PutRequest { Key = B(p.Key), Value = B(p.Value), Lease = p.Lease } },
                EtcdTxn.Delete d => new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B(d.Key) } },
                EtcdTxn.DeletePrefix d => new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B(d.Prefix), RangeEnd = B(PrefixEnd(d.Prefix)) } },
                _ => throw new InvalidOperationException($"unknown etcd operation {op}"),
            });
        }
        var response = await Timed("txn", () => client.TransactionAsync(request, cancellationToken: ct));
        return new TxnOutcome(response.Succeeded, response.Header.Revision);
    }

    /// <summary>Drops the history before <paramref name="revision"/> (watches from earlier revisions then expire).</summary>
    public async Task CompactAsync(long revision, CancellationToken ct = default) =>
        await Timed("compact", () => client.CompactAsync(new CompactionRequest { Revision = revision }, cancellationToken: ct));

    public async Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken ct = default)
    {
        var r = await Timed("lease_grant", () => client.LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)ttl.TotalSeconds }, cancellationToken: ct));
        return r.ID;
    }

    /// <summary>
    /// Changes under the prefix after <paramref name="afterRevision"/>, in order, until cancelled.
    /// Throws <see cref="WatchExpiredException"/> when that revision is no longer available.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<WatchChange>> WatchAsync(
        string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var call = client.GetConnection().WatchClient.Watch(cancellationToken: ct);
        // The "watch" latency is from the create request to etcd's first answer (the watch is established).
        long? creating = Stopwatch.GetTimestamp();
        await call.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = B(prefix),
                RangeEnd = B(PrefixEnd(prefix)),
                StartRevision = afterRevision + 1,
                PrevKv = true,
            },
        }, ct);
        while (true)
        {
            WatchResponse response;
            try
            {
                var more = await call.ResponseStream.MoveNext(ct);
                if (creating is { } started)
                {
                    RecordRequest("watch", started, more);
                    creating = null;
                }
                if (!more) yield break;
                response = call.ResponseStream.Current;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
            {
                yield break;
            }
            if (response.CompactRevision > 0) throw new WatchExpiredException(response.CompactRevision);
            if (response.Canceled) throw new InvalidOperationException($"etcd cancelled the watch: {response.CancelReason}");
            if (response.Events.Count == 0) continue;
            yield return response.Events.Select(e => new WatchChange(
                e.Type == Event.Types.EventType.Delete,
                e.Kv.Key.ToStringUtf8(),
                e.Type == Event.Types.EventType.Delete ? null : ToStored(e.Kv),
                e.PrevKv is null || e.PrevKv.Key.IsEmpty ? null : ToStored(e.PrevKv),
                e.Kv.ModRevision)).ToList();
        }
    }

    /// <summary>The smallest key after every key with this prefix (etcd's range_end for a prefix).</summary>
    public static string PrefixEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return System.Text.Encoding.UTF8.GetString(bytes, 0, i + 1);
            }
        }
        return "\0";
    }

    public void Dispose() => client.Dispose();
}

public sealed record TxnOutcome(bool Succeeded, long Revision);

/// <summary>A set of writes guarded by compares on mod revisions: a stale writer loses, never overwrites.</summary>
public sealed class EtcdTxn
{
    public abstract record Operation;
    public sealed record Put(string Key, string Value, long Lease) : Operation;
    public sealed record Delete(string Key) : Operation;
    public sealed record DeletePrefix(string Prefix) : Operation;

    private readonly List<(string Key, long ModRevision)> _compares = new();
    private readonly List<Operation> _operations = new();

    public IReadOnlyList<(string Key, long ModRevision)> Compares => _compares;
    public IReadOnlyList<Operation> Operations => _operations;
    public bool IsEmpty => _operations.Count == 0;

    /// <summary>The key must still be at <paramref name="modRevision"/>; 0 means it must not exist.</summary>
    public EtcdTxn Require(string key, long modRevision) { _compares.Add((key, modRevision)); return this; }
    public EtcdTxn PutValue(string key, string value, long lease = 0) { _operations.Add(new Put(key, value, lease)); return this; }
    public EtcdTxn DeleteKey(string key) { _operations.Add(new Delete(key)); return this; }
    public EtcdTxn DeleteAllUnder(string prefix) { _operations.Add(new DeletePrefix(prefix)); return this; }
}
