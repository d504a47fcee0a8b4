using Orleans.Concurrency;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>One per cluster (key 0): the periodic re-check of every service, shared by the control planes.</summary>
public interface IServiceResyncGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Reconciles every service, each on its own grain (Orleans spreads them over the silos); a periodic request
    /// (<paramref name="asked"/> false) soon after the last pass is another control plane's and does nothing.
    /// Returns how many services were visited. Interleaved: a request during a pass returns at once (one that was
    /// asked for a reason makes the running pass go round once more).
    /// </summary>
    [AlwaysInterleave]
    Task<int> ReconcileAll(bool asked);
}
