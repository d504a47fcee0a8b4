using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace Orchestrator.ControlPlane.Storage;

/// <summary>One answer of a watch: the changes of one revision range, up to <see cref="Revision"/>.</summary>
public sealed record WatchBatch(IReadOnlyList<WatchChange> Changes, long Revision);

/// <summary>
/// A watch over a prefix, in revision order. Only answers with changes move it on: etcd before 3.4.25 and 3.5.8 (Debian
/// ships 3.4.23) answers a progress request with the store's revision even while the watch is still catching up, and on
/// another channel than the events, so such an answer can overtake changes (etcd-io/etcd#15220; Kubernetes reads from its
/// cache consistently only on newer etcd for this reason). A reader that must know the watch is past a revision writes a
/// key under the prefix and waits for it (<see cref="ClusterCache"/>).
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
            if (r.Events.Count == 0) continue;
            var changes = r.Events.Select(e => new WatchChange(
                e.Type == Event.Types.EventType.Delete,
                e.Kv.Key.ToStringUtf8(),
                e.Type == Event.Types.EventType.Delete ? null : EtcdKv.ToStored(e.Kv),
                e.PrevKv is null || e.PrevKv.Key.IsEmpty ? null : EtcdKv.ToStored(e.PrevKv),
                e.Kv.ModRevision)).ToList();
            // The watch has seen up to the last change (the header may be ahead while it catches up).
            return new WatchBatch(changes, changes[^1].Revision);
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
