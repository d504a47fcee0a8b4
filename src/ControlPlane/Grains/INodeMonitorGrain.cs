namespace Orchestrator.ControlPlane.Grains;

/// <summary>One per cluster (key 0): keeps every node's grain active, each of which judges its own node's silence.</summary>
public interface INodeMonitorGrain : IGrainWithIntegerKey
{
    /// <summary>Visits every stored node's grain once; returns how many answered.</summary>
    Task<int> Check();
}
