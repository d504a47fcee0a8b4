namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>
/// The classes that drive the machine's one Docker engine run one after the other, never beside each other: on a
/// loaded 2-core machine, containers started, probed, stopped and measured by several classes at once made their
/// waits and readings depend on what the others did. Unit tests still run in parallel beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DockerEngineCollection
{
    public const string Name = "DockerEngine";
}
