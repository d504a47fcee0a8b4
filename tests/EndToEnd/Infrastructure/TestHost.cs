namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// One test host of the <see cref="Testbed"/>: network namespace orc-h{Index}, address 10.231.0.(10+Index) on the bridge,
/// its own dockerd at <see cref="DockerSocket"/>. Its node registers as <see cref="Name"/>.
/// </summary>
public sealed record TestHost(int Index, string Name, string Address, string DockerSocket)
{
    public Docker Docker { get; } = new(DockerSocket);

    /// <summary>Where this host's agent serves /healthz.</summary>
    public string AgentUrl => $"https://{Address}:7071";

    public static TestHost Numbered(int index, string testbedDir) =>
        new(index, $"h{index}", $"{Testbed.Subnet}.{10 + index}", $"unix://{Path.Combine(testbedDir, $"h{index}", "docker.sock")}");

    public override string ToString() => $"{Name} ({Address})";
}
