using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>One answer of a watch: the changes of one revision range, or (no changes) progress up to a revision.</summary>
public sealed record WatchBatch(IReadOnlyList<WatchChange> Changes, long Revision);

/// <summary>
/// A watch over a prefix that also reports progress: etcd answers a progress request with the store's current
/// revision once every change up to it was sent, so a watcher learns it is up to date even when nothing under its
/// prefix changed (client-go's "consistent reads from cache" use the same request).
/// </summary>
public sealed class EtcdWatchStream : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<WatchRequest, WatchResponse> _call;
    private readonly SemaphoreSlim _send = new(1, 1);

    private EtcdWatchStream(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call) => _call = call;

    public static async Task<EtcdWatchStream> OpenAsync(EtcdClient client, string prefix, long afterRevision, CancellationToken ct)
    {
        var call = client.GetConnection().WatchClient.Watch(cancellationToken: ct);
        var stream = new EtcdWatchStream(call);
        await stream.SendAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = ByteString.CopyFromUtf8(prefix),
                RangeEnd = ByteString.CopyFromUtf8(EtcdKv.PrefixEnd(prefix)),
                StartRevision = afterRevision + 1,
                PrevKv = true,
            },
        }, ct);
        return stream;
    }

    /// <summary>Asks etcd to say how far this watch is; answered as a <see cref="WatchBatch"/> without changes.</summary>
    public Task RequestProgressAsync(CancellationToken ct) => SendAsync(new WatchRequest { ProgressRequest = new WatchProgressRequest() }, ct);

    private async Task SendAsync(WatchRequest request, CancellationToken ct)
    {
        await _send.WaitAsync(ct);
        try { await _call.RequestStream.WriteAsync(request, ct); }
        finally { _send.Release(); }
    }

    /// <summary>The next batch; null when etcd ended the watch. Throws <see cref="WatchExpiredException"/> after a compaction.</summary>
    public async Task<WatchBatch?> NextAsync(CancellationToken ct)
    {
        while (await _call.ResponseStream.MoveNext(ct))
        {
            var r = _call.ResponseStream.Current;
            if (r.CompactRevision > 0) throw new WatchExpiredException(r.CompactRevision);
            if (r.Canceled) throw new InvalidOperationException($"etcd cancelled the watch: {r.CancelReason}");
            if (r.Created && r.Events.Count == 0) continue;
            var changes = r.Events.Select(e => new WatchChange(
                e.Type == Event.Types.EventType.Delete,
                e.Kv.Key.ToStringUtf8(),
                e.Type == Event.Types.EventType.Delete ? null : EtcdKv.ToStored(e.Kv),
                e.PrevKv is null || e.PrevKv.Key.IsEmpty ? null : EtcdKv.ToStored(e.PrevKv),
                e.Kv.ModRevision)).ToList();
            // With changes, the watch has seen up to the last one (the header may be ahead while it catches up); without,
            // this is a progress answer, sent only once the watch is up to date: the header is the store's revision.
            return new WatchBatch(changes, changes.Count > 0 ? changes[^1].Revision : r.Header.Revision);
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _call.Dispose();
        _send.Dispose();
        return ValueTask.CompletedTask;
    }
}
