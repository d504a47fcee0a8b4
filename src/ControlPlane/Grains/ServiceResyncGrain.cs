using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Reconcile;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// The cluster's one periodic re-check of every service (what heals what nobody asked about): every control plane's
/// <see cref="ServiceResyncLoop"/> asks it, jittered, once per reconcile interval, and it passes once per interval for
/// the cluster, not once per control plane. Asked for a reason (a node registered, a port freed) it always passes.
/// Each service is reconciled by its own grain: one that fails (marked stuck, with the reason) never holds up the others.
/// </summary>
public sealed class ServiceResyncGrain(ClusterStore store, ControlPlaneLifecycle lifecycle, ControlPlaneOptions options, TimeProvider time,
    ILogger<ServiceResyncGrain> log) : Grain, IServiceResyncGrain
{
    /// <summary>How many services are reconciled at once in a pass.</summary>
    private const int Parallelism = 8;

    private readonly ResyncSelection _selection = new();
    private long? _lastPass;
    private bool _running;
    private bool _again;

    public async Task<int> ReconcileAll(bool asked)
    {
        if (lifecycle.Stopping) return 0;
        if (_running)
        {
            _again |= asked;
            return 0;
        }
        if (!asked && _lastPass is { } last && time.GetElapsedTime(last) < options.ReconcileInterval / 2) return 0;
        _running = true;
        try
        {
            var visited = 0;
            do
            {
                _again = false;
                _lastPass = time.GetTimestamp();
                visited = await PassAsync();
            } while (_again && !lifecycle.Stopping);
            return visited;
        }
        finally
        {
            _running = false;
        }
    }

    private async Task<int> PassAsync()
    {
        var clock = time.GetTimestamp();
        // Services written through any control plane count: the cache is brought up to etcd's revision first.
        await store.SyncAsync();
        // Keys, not objects: a service whose value cannot be read is still visited, and so marked stuck. One written
        // since the previous pass is left to the reconcile its writer asked for, in the writer's trace.
        var services = _selection.Due(await store.ListServiceVersionsAsync());
        // In the grain's own turns, a few at a time (ReconcilePass's Parallel.ForEachAsync would call grains from pool
        // threads, which Orleans refuses inside a grain: "activation access violation").
        foreach (var batch in services.Chunk(Parallelism))
            await Task.WhenAll(batch.Select(async service =>
            {
                try { await GrainFactory.GetGrain<IServiceGrain>(service).Reconcile(null); }
                catch (Exception e) { log.LogWarning("reconcile of service {Service} failed, the others went on: {Message}", service, e.Message); }
            }));
        Telemetry.ReconcilePassDuration.Record(time.GetElapsedTime(clock).TotalSeconds);
        return services.Count;
    }
}
