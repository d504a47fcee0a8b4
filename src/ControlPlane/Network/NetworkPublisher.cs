using System.Diagnostics.Metrics;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Grains;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Network;

/// <summary>
/// Pushes the cluster network to agents: at every change the cluster cache's watch brings, it derives the nodes'
/// addresses and subnets and every service's endpoints (<see cref="EndpointsView"/>, from memory), names the content
/// with a version, and wakes the agents' long polls (GET /api/v1/nodes/{name}/network) when the version moved. So a
/// replica marked terminating, unready or on a Down node is out of every agent's rules within about the time of one
/// HTTP answer, not a poll interval. It also hands each new view to the <see cref="IEndpointEventsGrain"/> (endpoint
/// events) and reports the endpoints per service on /metrics.
/// </summary>
public sealed class NetworkPublisher : BackgroundService
{
    /// <summary>Whatever the watch says, the view is derived again this often (a safety net, and the first view).</summary>
    public static readonly TimeSpan Resync = TimeSpan.FromSeconds(5);

    private readonly ClusterCache _cache;
    private readonly ClusterStore _store;
    private readonly Keys _keys;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger<NetworkPublisher> _log;
    private readonly object _lock = new();
    private NetworkSnapshot? _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _failing;
    private long _built;
    // The nodes of the last view published, by name.
    private Dictionary<string, NodeInfo> _shownNodes = new(StringComparer.Ordinal);

    public NetworkPublisher(ClusterCache cache, ClusterStore store, Keys keys, IGrainFactory grains, TimeProvider time, IMeterFactory meters,
        ILogger<NetworkPublisher> log)
    {
        (_cache, _store, _keys, _grains, _time, _log) = (cache, store, keys, grains, time, log);
        var meter = meters.Create(Telemetry.Name);
        meter.CreateObservableGauge("orchestrator.service.endpoints", () => (Current?.Services ?? []).SelectMany(s => new[]
            {
                Measurement(s, "ready", s.Ready.Count),
                Measurement(s, "not_ready", s.NotReady.Count),
            }),
            "{endpoint}", "a service's endpoints: ready (balanced to, in DNS) and not ready (terminating, unready, on a Down node)");
    }

    private static Measurement<int> Measurement(ServiceEndpoints s, string state, int value) => new(value,
        new KeyValuePair<string, object?>("namespace", s.Namespace), new KeyValuePair<string, object?>("service", s.Name),
        new KeyValuePair<string, object?>("state", state));

    /// <summary>How many times the view was derived (all of it, from the whole cluster) since the start.</summary>
    public long Builds => Interlocked.Read(ref _builds);
    private long _builds;

    /// <summary>The last view published; null before the first.</summary>
    public NetworkSnapshot? Current { get { lock (_lock) return _current; } }

    /// <summary>
    /// The view as soon as its version differs from <paramref name="version"/> (at once when it already does, or when none
    /// is given), else the same view after <paramref name="longest"/>: the agent asks again.
    /// </summary>
    public async Task<NetworkSnapshot> WaitAsync(string? version, TimeSpan longest, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + longest;
        while (true)
        {
            NetworkSnapshot? now;
            Task changed;
            lock (_lock) (now, changed) = (_current, _changed.Task);
            now ??= await BuildAsync(ct);
            var left = deadline - _time.GetUtcNow();
            if (now.Version != version || left <= TimeSpan.Zero) return now;
            try { await changed.WaitAsync(left, _time, ct); }
            catch (TimeoutException) { return now; }
        }
    }

    /// <summary>Nodes and endpoints as the cache holds them now, with the version that names them.</summary>
    public async Task<NetworkSnapshot> BuildAsync(CancellationToken ct)
    {
        var nodes = (await _store.ListNodesAsync(ct))
            .Select(n => new NodeInfo { Name = n.Name, Address = n.Address, Subnet = n.Subnet, State = n.State })
            .OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var services = await _store.ListEndpointsAsync(ct: ct);
        return new NetworkSnapshot { Version = VersionOf(nodes, services), Nodes = nodes, Services = services };
    }

    /// <summary>16 hex characters of the content's hash: equal views, equal versions, on every control plane.</summary>
    public static string VersionOf(IReadOnlyList<NodeInfo> nodes, IReadOnlyList<ServiceEndpoints> services) =>
        Convert.ToHexStringLower(Json.Sha256Of(new { nodes, services }))[..16];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!_cache.IsSynced)
        {
            try { await Task.Delay(TimeSpan.FromMilliseconds(100), _time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
        long revision = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var (changed, current, next) = _cache.ChangesAfter(revision);
            var started = _time.GetTimestamp();
            try
            {
                if (_time.GetElapsedTime(_built) < Resync && await SameViewAsync(changed, stoppingToken))
                {
                    revision = current;
                    try { await next.WaitAsync(Resync, _time, stoppingToken); }
                    catch (TimeoutException) { }
                    continue;
                }
                Publish(await BuildAsync(stoppingToken), current);
                _built = started;
                Interlocked.Increment(ref _builds);
                if (_failing) _log.LogInformation("endpoints: published again");
                _failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                if (!_failing) _log.LogWarning("endpoints: cannot derive the network view ({Message}); agents keep the last one", e.GetBaseException().Message);
                _failing = true;
            }
            revision = current;
            try
            {
                // A view is derived from the whole cluster. While changes stream in (30,000 replicas reporting), deriving
                // it after each would take a core; resting a few times what it cost keeps that under a quarter of one.
                // On a small cluster that costs a millisecond or two, so an endpoint change still goes out at once.
                await Task.Delay(Rest(_time.GetElapsedTime(started)), _time, stoppingToken);
                await next.WaitAsync(Resync, _time, stoppingToken);
            }
            catch (TimeoutException) { }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// Whether the changes leave the view as it is without deriving it again: only node records changed, and none of them
    /// in what the view holds of a node (its address, subnet and state). At rest that is every change there is: each of
    /// 1,000 nodes renews its lease every 10 s, and deriving the view from 30,000 replicas for each took a tenth of a core.
    /// The view is still derived at least every <see cref="Resync"/>, as before.
    /// </summary>
    private async Task<bool> SameViewAsync(IReadOnlyList<string>? changed, CancellationToken ct)
    {
        Dictionary<string, NodeInfo> shownNodes;
        lock (_lock) shownNodes = _shownNodes;
        if (changed is null || Current is null) return false;
        foreach (var key in changed)
        {
            if (!key.StartsWith(_keys.Nodes, StringComparison.Ordinal)) return false;
            if (!shownNodes.TryGetValue(key[_keys.Nodes.Length..], out var shown) || await _store.GetNodeAsync(shown.Name, ct) is not { } node
                || (node.Address, node.Subnet, node.State) != (shown.Address, shown.Subnet, shown.State)) return false;
        }
        return true;
    }

    /// <summary>The pause after a view that took <paramref name="cost"/> to derive: three times it, at most a second.</summary>
    public static TimeSpan Rest(TimeSpan cost) => TimeSpan.FromTicks(Math.Min(cost.Ticks * 3, TimeSpan.TicksPerSecond));

    private void Publish(NetworkSnapshot view, long revision)
    {
        NetworkSnapshot? before;
        lock (_lock)
        {
            before = _current;
            if (before?.Version == view.Version) return;
            _current = view;
            _shownNodes = view.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
            var woken = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            woken.TrySetResult();
        }
        // Events only when the endpoints moved (not a node's address); best effort, the agents are already woken. Handed on
        // in order but not awaited here: recording events (etcd writes) never holds back the next push.
        if (before is not null && Json.Sha256Of(before.Services).AsSpan().SequenceEqual(Json.Sha256Of(view.Services))) return;
        _events = ObserveAsync(_events, revision, view.Services);
    }

    private Task _events = Task.CompletedTask;

    private async Task ObserveAsync(Task previous, long revision, List<ServiceEndpoints> services)
    {
        await previous;
        try { await _grains.GetGrain<IEndpointEventsGrain>(0).Observe(revision, services); }
        catch (Exception e) { _log.LogWarning("endpoint events not recorded: {Message}", e.GetBaseException().Message); }
    }
}
