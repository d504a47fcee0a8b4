using Microsoft.Extensions.Configuration;
using Orchestrator.ServiceDefaults;

namespace Orchestrator.ControlPlane.Tests.Metrics;

/// <summary>The shared telemetry settings: which OTLP endpoints start, and what each process says about itself.</summary>
[Trait("Category", "Unit")]
public sealed class OrchestratorDefaultsTests
{
    public static TheoryData<string, string?, bool> Endpoints => new()
    {
        { "unset: no OTLP, fine", null, true },
        { "gRPC", "http://127.0.0.1:4317", true },
        { "https collector", "https://otel.example:4318", true },
        { "no scheme", "127.0.0.1:4317", false },
        { "not a URL", "collector please", false },
        { "another scheme", "ftp://127.0.0.1:4317", false },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void Otlp_endpoint_must_be_an_http_url(string name, string? endpoint, bool valid)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [OrchestratorDefaults.OtlpEndpointVariable] = endpoint })
            .Build();

        var problems = OrchestratorDefaults.Validate(config).ToList();

        Assert.True(valid == (problems.Count == 0), $"{name}: {string.Join("; ", problems)}");
        if (!valid) Assert.StartsWith($"OTEL_EXPORTER_OTLP_ENDPOINT: \"{endpoint}\" is not an http(s) URL", problems.Single());
    }

    [Fact]
    public void An_agent_is_its_node_and_a_control_plane_its_host_and_process()
    {
        var agent = new TelemetryIdentity { ServiceName = "orchestrator-node-agent", NodeName = "n1" }.Attributes("vm", 42);
        var plane = new TelemetryIdentity { ServiceName = "orchestrator-control-plane" }.Attributes("vm", 42);

        Assert.Equal(new Dictionary<string, object> { ["service.instance.id"] = "n1", ["host.name"] = "vm", ["orchestrator.node"] = "n1" }, agent);
        Assert.Equal(new Dictionary<string, object> { ["service.instance.id"] = "vm-42", ["host.name"] = "vm" }, plane);
    }
}
