using Microsoft.Extensions.Configuration;
using Orchestrator.NodeAgent.Options;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class NodeAgentOptionsTests
{
    /// <summary>Any existing file will do: the validator checks that it is there, AgentTls reads it.</summary>
    private static readonly string CaFile = typeof(NodeAgentOptionsTests).Assembly.Location;

    [Fact]
    public void Defaults_are_valid()
    {
        var o = new NodeAgentOptions { NodeName = "n1", CaFile = CaFile };
        Assert.Empty(NodeAgentOptionsValidator.Validate(o));
        Assert.Equal("https://127.0.0.1:7070", o.Api);
        Assert.Equal("unix:///var/run/docker.sock", o.Docker);
        Assert.Equal("local", o.Cluster);
        Assert.Equal("127.0.0.1", o.Address);
        Assert.Equal(TimeSpan.FromSeconds(1), o.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), o.ResyncInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), o.StatusInterval);
        Assert.Equal("https://127.0.0.1:7071", o.Listen);
    }

    public static TheoryData<string, Action<NodeAgentOptions>, string> Invalid => new()
    {
        { "api not a URL", o => o.Api = "localhost:7070", "Agent:Api (--api)" },
        { "second api not a URL", o => o.Api = "https://a:7070,b:7070", "Agent:Api (--api)" },
        { "no api at all", o => o.Api = " , ", "Agent:Api (--api)" },
        { "node name with capitals", o => o.NodeName = "Node_1", "Agent:NodeName (--node-name)" },
        { "docker endpoint without scheme", o => o.Docker = "/var/run/docker.sock", "Agent:Docker (--docker)" },
        { "empty cluster", o => o.Cluster = "", "Agent:Cluster (--cluster)" },
        { "label without value", o => o.Labels = "zone=a,ssd", "\"ssd\" is not key=value" },
        { "address not an IP", o => o.Address = "my-host", "Agent:Address (--address)" },
        { "cpu not a quantity", o => o.Cpu = "two", "Agent:Cpu (--cpu)" },
        { "memory zero", o => o.Memory = "0", "Agent:Memory (--memory)" },
        { "heartbeat zero", o => o.HeartbeatInterval = TimeSpan.Zero, "Agent:HeartbeatInterval" },
        { "listen not a URL", o => o.Listen = "7071", "Agent:Listen (--listen)" },
        { "advertise url with a path", o => o.AdvertiseUrl = "https://10.0.0.5:7071/agent", "Agent:AdvertiseUrl (--advertise-url)" },
        { "network mode unknown", o => o.NetworkMode = "overlay", "Agent:NetworkMode (--network-mode)" },
        { "network interval zero", o => o.NetworkInterval = TimeSpan.Zero, "Agent:NetworkInterval" },
        { "advertise url not http", o => o.AdvertiseUrl = "tcp://10.0.0.5:7071", "Agent:AdvertiseUrl (--advertise-url)" },
        { "api in plain http", o => o.Api = "http://127.0.0.1:7070", "Agent:Api (--api)" },
        { "listen in plain http", o => o.Listen = "http://127.0.0.1:7071", "Agent:Listen (--listen)" },
        { "advertise url in plain http", o => o.AdvertiseUrl = "http://10.0.0.5:7071", "Agent:AdvertiseUrl (--advertise-url)" },
        { "no cluster CA", o => o.CaFile = null, "Agent:CaFile (--ca-file): required" },
        { "a cluster CA that is not there", o => o.CaFile = "/nonexistent/ca.crt", "Agent:CaFile (--ca-file): \"/nonexistent/ca.crt\"" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_bad_setting_is_named_with_its_flag(string name, Action<NodeAgentOptions> change, string expected)
    {
        var o = new NodeAgentOptions { NodeName = "n1", CaFile = CaFile };
        change(o);
        var error = Assert.Single(NodeAgentOptionsValidator.Validate(o));
        Assert.Contains(expected, error);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void Flags_beat_environment_variables()
    {
        var env = new System.Collections.Hashtable { ["ORC_AGENT_NODE_NAME"] = "from-env", ["ORC_AGENT_CLUSTER"] = "env-cluster", ["OTHER"] = "x" };
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(AgentConfiguration.FromEnvironment(env))
            .AddCommandLine(["--node-name", "from-flag", "--labels", "zone=a,disk=ssd", "--cpu", "2", "--memory", "4Gi"], AgentConfiguration.SwitchMappings.ToDictionary())
            .Build();
        var o = config.GetSection(NodeAgentOptions.Section).Get<NodeAgentOptions>()!;

        Assert.Equal("from-flag", o.NodeName);
        Assert.Equal("env-cluster", o.Cluster);
        var capacity = NodeResources.Capacity(o);
        Assert.Equal(2000, capacity.MilliCpu);
        Assert.Equal(4L << 30, capacity.MemoryBytes);
        Assert.Equal(new Dictionary<string, string> { ["zone"] = "a", ["disk"] = "ssd" }, NodeResources.ParseLabels(o.Labels));
    }

    [Fact]
    public void Default_capacity_is_the_machine()
    {
        var capacity = NodeResources.Capacity(new NodeAgentOptions());
        Assert.Equal(Environment.ProcessorCount * 1000L, capacity.MilliCpu);
        Assert.True(capacity.MemoryBytes > 0, "MemTotal of /proc/meminfo");
    }

    [Theory]
    [InlineData("127.0.0.1", "https://127.0.0.1:7071", null, "https://127.0.0.1:7071")]
    [InlineData("10.231.0.11", "https://10.231.0.11:7071", null, "https://10.231.0.11:7071")]
    [InlineData("10.0.0.5", "https://0.0.0.0:9000", null, "https://10.0.0.5:9000")]
    [InlineData("fd00::5", "https://[::]:7443", null, "https://[fd00::5]:7443")]
    [InlineData("10.0.0.5", "https://0.0.0.0:7071", "https://agent.example:8080/", "https://agent.example:8080")]
    public void The_advertised_agent_url_is_the_listen_port_on_the_address_unless_given(string address, string listen, string? advertise, string expected)
    {
        var o = new NodeAgentOptions { NodeName = "n1", Address = address, Listen = listen, AdvertiseUrl = advertise, CaFile = CaFile };
        Assert.Empty(NodeAgentOptionsValidator.Validate(o));
        Assert.Equal(expected, NodeResources.AgentUrl(o));
    }
}
