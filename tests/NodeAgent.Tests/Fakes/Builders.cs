using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Tests.Fakes;

/// <summary>Fluent test data: Replica("a").Image("local/web:1").Port(8080) and Container("c1").Of(replica).Exited(1).</summary>
public static class Builders
{
    public static ReplicaBuilder Replica(string id) => new(id);
    public static ContainerBuilder Container(string id) => new(id);
}

public sealed class ReplicaBuilder(string id)
{
    private string _service = "web";
    private int _slot = 1;
    private ContainerSpec _spec = new() { Image = "local/busybox:1", Args = ["sleep", "3600"] };

    public ReplicaBuilder Service(string service, int slot = 1) { _service = service; _slot = slot; return this; }
    public ReplicaBuilder Image(string image) { _spec = _spec with { Image = image, Args = null }; return this; }
    public ReplicaBuilder Args(params string[] args) { _spec = _spec with { Args = args.ToList() }; return this; }
    public ReplicaBuilder Cpu(string cpu) { _spec = _spec with { MilliCpu = Units.ParseCpuMillis(cpu) }; return this; }
    public ReplicaBuilder Memory(string memory) { _spec = _spec with { MemoryBytes = Units.ParseMemoryBytes(memory) }; return this; }
    public ReplicaBuilder Restart(RestartPolicy policy) { _spec = _spec with { RestartPolicy = policy }; return this; }
    public ReplicaBuilder Liveness(Probe probe) { _spec = _spec with { LivenessProbe = probe }; return this; }
    public ReplicaBuilder Readiness(Probe probe) { _spec = _spec with { ReadinessProbe = probe }; return this; }
    public ReplicaBuilder Stop(string? signal, string grace) { _spec = _spec with { StopSignal = signal, StopGracePeriod = grace }; return this; }
    public ReplicaBuilder Security(SecurityContext security) { _spec = _spec with { SecurityContext = security }; return this; }
    public ReplicaBuilder Hostname(string hostname) { _spec = _spec with { Hostname = hostname }; return this; }
    public ReplicaBuilder Pids(long pids) { _spec = _spec with { Pids = pids }; return this; }
    public ReplicaBuilder Volume(VolumeSpec volume, string mountPath)
    {
        _spec = _spec with { Volumes = [.. _spec.Volumes ?? [], volume], VolumeMounts = [.. _spec.VolumeMounts ?? [], new VolumeMount { Name = volume.Name, MountPath = mountPath }] };
        return this;
    }
    public ReplicaBuilder Port(int containerPort, int? hostPort = null)
    {
        _spec = _spec with { Ports = [.. _spec.Ports, new PortSpec { ContainerPort = containerPort, HostPort = hostPort }] };
        return this;
    }

    public Replica Build() => new()
    {
        Id = id,
        Service = _service,
        Slot = _slot,
        Node = "n1",
        Container = _spec,
        SpecHash = _spec.Hash(),
    };

    public static implicit operator Replica(ReplicaBuilder b) => b.Build();
}

public sealed class ContainerBuilder(string id)
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Dictionary<string, string> _labels = new() { [ContainerLabels.Managed] = "true", [ContainerLabels.Cluster] = "local" };
    private string? _name;
    private string _state = ContainerStates.Running;
    private int? _exitCode;
    private DateTimeOffset _created = Epoch;

    public ContainerBuilder Of(Replica replica)
    {
        _labels[ContainerLabels.ReplicaId] = replica.Id;
        _labels[ContainerLabels.SpecHash] = replica.SpecHash;
        _name = replica.ContainerName;
        return this;
    }

    public ContainerBuilder Hash(string hash) { _labels[ContainerLabels.SpecHash] = hash; return this; }
    public ContainerBuilder State(string state) { _state = state; return this; }
    public ContainerBuilder Exited(int code) { _state = ContainerStates.Exited; _exitCode = code; return this; }
    public ContainerBuilder CreatedMinute(int minute) { _created = Epoch.AddMinutes(minute); return this; }

    public ObservedContainer Build() => new()
    {
        Id = id,
        Name = _name ?? id,
        Labels = new Dictionary<string, string>(_labels),
        State = _state,
        ExitCode = _exitCode,
        CreatedAt = _created,
    };

    public static implicit operator ObservedContainer(ContainerBuilder b) => b.Build();
}
