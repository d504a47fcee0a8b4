using System.Collections.Concurrent;

namespace Orchestrator.ControlPlane.Reconcile;

/// <summary>
/// One periodic pass over many services (or nodes): each is handled on its own, so one that throws is given back with
/// its error and every other one is still handled. The caller decides what a failure means (log it, mark the service).
/// </summary>
public static class ReconcilePass
{
    public static async Task<IReadOnlyList<(string Key, Exception Error)>> RunAsync(IEnumerable<string> keys,
        Func<string, Task> reconcile, int parallelism, CancellationToken ct)
    {
        var failures = new ConcurrentQueue<(string, Exception)>();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (key, _) =>
        {
            try
            {
                await reconcile(key);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                failures.Enqueue((key, e));
            }
        });
        return failures.ToList();
    }
}
