using Orchestrator.Contracts;

namespace Orchestrator.Orc.Tests;

/// <summary>API objects as the control plane would answer them, aged relative to <see cref="Orc.Now"/>.</summary>
public static class Samples
{
    public static ServiceView Service(string name, string ns = "default", string image = "nginx:1.27", int desired = 3, int running = 3,
        int pending = 0, TimeSpan? age = null, string? pendingReason = null) => new()
    {
        Service = new ServiceObject
        {
            Metadata = new ObjectMeta
            {
                Name = name, Namespace = ns, Generation = 2, CreatedAt = Orc.Now - (age ?? TimeSpan.FromMinutes(5)),
                Labels = new() { ["app"] = name },
            },
            Spec = new ServiceSpec
            {
                Image = image, Replicas = desired,
                Ports = [new PortSpec { ContainerPort = 8080 }],
                Resources = new ResourceSpec { Cpu = "250m", Memory = "64Mi" },
            },
        },
        Status = new ServiceStatus { Desired = desired, Running = running, Ready = running, Pending = pending, Assigned = running, PendingReason = pendingReason },
    };

    public static NodeInfo Node(string name, long milliCpu = 4000, long memory = 8L << 30, bool cordoned = false,
        NodeState state = NodeState.Ready, params (string Key, string Value)[] labels) => new()
    {
        Name = name, State = state, Cordoned = cordoned, Address = "10.0.0.1", AgentVersion = "1.0.0",
        Capacity = new NodeCapacity { MilliCpu = milliCpu, MemoryBytes = memory },
        Labels = labels.ToDictionary(l => l.Key, l => l.Value),
        RegisteredAt = Orc.Now - TimeSpan.FromDays(2), LastHeartbeat = Orc.Now - TimeSpan.FromSeconds(4),
    };

    public static ReplicaView Replica(string service, int slot, string id, string node, ReplicaState? state = ReplicaState.Running,
        string ns = "default", int? hostPort = 32768, int? exitCode = null) => new()
    {
        Replica = new Replica
        {
            Id = id, Namespace = ns, Service = service, Slot = slot, Node = node,
            CreatedAt = Orc.Now - TimeSpan.FromHours(3), PlacementReason = "least allocated (cpu 6%, memory 1%)",
        },
        Status = state is null ? null : new ReplicaStatus
        {
            ReplicaId = id, Namespace = ns, Service = service, Node = node, State = state.Value,
            ContainerId = "4f2a9c1b7d3e5f60718293a4b5c6d7e8", RestartCount = 1, ExitCode = exitCode,
            Ports = hostPort is null ? [] : [new PortBinding { ContainerPort = 8080, HostPort = hostPort.Value, HostIp = "127.0.0.1" }],
        },
    };
}
