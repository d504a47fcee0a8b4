namespace Orchestrator.ControlPlane.Grains;

/// <summary>One per cluster (key 0): compacts etcd's history, whichever control plane asks.</summary>
public interface IEtcdCompactorGrain : IGrainWithIntegerKey
{
    /// <summary>Called about once a compaction interval by every control plane; compacts at most once an interval.
    /// Returns the revision it compacted to, or 0 when it did nothing this time.</summary>
    Task<long> Tick();
}
