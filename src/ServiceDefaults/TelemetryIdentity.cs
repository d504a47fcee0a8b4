using OpenTelemetry.Trace;

namespace Orchestrator.ServiceDefaults;

/// <summary>What one process says about itself in its telemetry, and which of its own sources and meters it records.</summary>
public sealed class TelemetryIdentity
{
    /// <summary>service.name, e.g. "orchestrator-control-plane".</summary>
    public required string ServiceName { get; init; }

    /// <summary>
    /// The node an agent runs for: becomes service.instance.id and orchestrator.node. Null for a control plane, whose
    /// instance id is the machine name and process id (several control planes may share a machine).
    /// </summary>
    public string? NodeName { get; init; }

    /// <summary>ActivitySource names whose spans are recorded, besides ASP.NET Core and HttpClient.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Meter names exported, besides ASP.NET Core, HttpClient and the runtime.</summary>
    public IReadOnlyList<string> Meters { get; init; } = [];

    /// <summary>More tracing setup, e.g. an in-memory exporter in tests.</summary>
    public Action<TracerProviderBuilder>? Tracing { get; init; }

    /// <summary>The resource attributes every signal of this process carries (besides service.name).</summary>
    public IReadOnlyDictionary<string, object> Attributes(string machineName, int processId)
    {
        var attributes = new Dictionary<string, object>
        {
            ["service.instance.id"] = NodeName ?? $"{machineName}-{processId}",
            ["host.name"] = machineName,
        };
        if (NodeName is not null) attributes["orchestrator.node"] = NodeName;
        return attributes;
    }
}
