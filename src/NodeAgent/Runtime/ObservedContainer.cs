using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>One managed container as the engine reports it, reduced to what reconcile and status need.</summary>
public sealed record ObservedContainer
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Docker's state word: created, running, paused, restarting, removing, exited or dead.</summary>
    public string State { get; init; } = "";
    public int? ExitCode { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public IReadOnlyList<PortBinding> Ports { get; init; } = [];
    /// <summary>
    /// Every host port the engine publishes for it, IPv4 and IPv6: dockerd 20.10 may pick a different dynamic port for
    /// each, and both are the cluster's own, not another program's (<see cref="HostPortsInUse"/>).
    /// </summary>
    public IReadOnlyList<ListeningPort> Published { get; init; } = [];
    /// <summary>Where the agent reaches the container's own ports for http and tcp probes: its bridge IP, or 127.0.0.1 on the host network.</summary>
    public string? Address { get; init; }

    public string? ReplicaId => Labels.GetValueOrDefault(ContainerLabels.ReplicaId);
    public string? SpecHash => Labels.GetValueOrDefault(ContainerLabels.SpecHash);
    public bool IsRunning => State == ContainerStates.Running;
}

/// <summary>Docker's container state words the agent acts on.</summary>
public static class ContainerStates
{
    public const string Created = "created";
    public const string Running = "running";
    public const string Exited = "exited";
    public const string Dead = "dead";
    public const string Restarting = "restarting";
    public const string Paused = "paused";
    public const string Removing = "removing";
}
