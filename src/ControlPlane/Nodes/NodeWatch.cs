namespace Orchestrator.ControlPlane.Nodes;

/// <summary>When this process began watching nodes; silence before it is not held against them.</summary>
public sealed class NodeWatch(TimeProvider time)
{
    public DateTimeOffset Since { get; } = time.GetUtcNow();
}
