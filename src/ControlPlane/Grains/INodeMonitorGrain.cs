namespace Orchestrator.ControlPlane.Grains;

/// <summary>One per cluster (key 0): moves silent nodes to NotReady and Down, and says so.</summary>
public interface INodeMonitorGrain : IGrainWithIntegerKey
{
    /// <summary>Looks at every node once; returns how many changed state.</summary>
    Task<int> Check();
}
