using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.ControlPlane;
using Orchestrator.NodeAgent.Reconcile;

namespace Orchestrator.NodeAgent.Network;

/// <summary>
/// Keeps this host's share of the cluster network in line with the control plane. Two loops: the watch holds a long poll
/// open (GET /api/v1/nodes/{name}/network, answered at each change of the nodes or endpoints, so a change reaches the
/// rules and DNS within about one answer's time); the apply loop turns the latest view into a <see cref="NetworkPlan"/>
/// and applies it through <see cref="ClusterNetwork"/> at once when a view arrives, and every interval besides (a jump
/// a restarted dockerd dropped comes back). A watch that fails falls back to reading the node list and the endpoints
/// (the poll) every interval until it answers again. A control plane out of reach changes nothing: routes and rules stay.
/// </summary>
public sealed class NetworkLoop(ControlPlaneClient client, ClusterNetwork network, string cluster, string node, string mode, TimeSpan interval,
    TimeProvider time, ILogger<NetworkLoop> log)
{
    /// <summary>How long the control plane may hold a long poll before it answers with the same view.</summary>
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(20);

    private readonly object _lock = new();
    private NetworkSnapshot? _latest;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSyncTicks;

    /// <summary>When the host's routes, rules and DNS were last brought in line (null: never yet).</summary>
    public DateTimeOffset? LastSync => Interlocked.Read(ref _lastSyncTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(WatchAsync(ct), ApplyLoopAsync(ct));

    private async Task WatchAsync(CancellationToken ct)
    {
        string? failing = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                Deliver(await client.WatchNetworkAsync(Latest?.Version, LongPoll, ct));
                if (failing is not null) log.LogInformation("network watch answering again");
                failing = null;
                continue;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                var message = e.GetBaseException().Message;
                if (message != failing) log.LogWarning("network watch failed ({Message}); reading nodes and endpoints every {Interval} s instead", message, interval.TotalSeconds);
                failing = message;
            }
            try
            {
                // The poll, while the watch fails: a view without a version, so the next watch answers at once.
                var nodes = await client.ListNodesAsync(ct);
                var services = await client.ListEndpointsAsync(ct);
                Deliver(new NetworkSnapshot { Nodes = nodes.ToList(), Services = services.ToList() });
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception) { }
            try { await Task.Delay(interval, time, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    private NetworkSnapshot? Latest { get { lock (_lock) return _latest; } }

    private void Deliver(NetworkSnapshot view)
    {
        lock (_lock)
        {
            _latest = view;
            var arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived.TrySetResult();
        }
    }

    private async Task ApplyLoopAsync(CancellationToken ct)
    {
        string? failing = null;
        while (!ct.IsCancellationRequested)
        {
            NetworkSnapshot? view;
            Task arrived;
            lock (_lock) (view, arrived) = (_latest, _arrived.Task);
            if (view is not null)
            {
                try
                {
                    var clock = Stopwatch.StartNew();
                    if (NetworkPlan.For(cluster, node, view.Nodes, mode) is { } plan) await network.ApplyAsync(plan with { Services = view.Services }, ct);
                    AgentInstruments.NetworkSyncDuration.Record(clock.Elapsed.TotalSeconds);
                    Interlocked.Exchange(ref _lastSyncTicks, time.GetUtcNow().UtcTicks);
                    if (failing is not null) log.LogInformation("cluster network in line again");
                    failing = null;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
                catch (Exception e)
                {
                    // Logged when the reason changes, not every interval.
                    var message = e.GetBaseException().Message;
                    if (message != failing) log.LogWarning("cluster network not brought in line: {Message}", message);
                    failing = message;
                }
            }
            try { await arrived.WaitAsync(interval, time, ct); }
            catch (TimeoutException) { }
            catch (OperationCanceledException) { return; }
        }
    }
}
