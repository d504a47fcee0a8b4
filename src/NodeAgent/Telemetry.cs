using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orchestrator.NodeAgent.Reconcile;

namespace Orchestrator.NodeAgent;

/// <summary>Metrics on /metrics (Prometheus) and traces of the calls to the control plane; OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
public static class Telemetry
{
    public const string ServiceName = "orchestrator-node-agent";

    public static IServiceCollection AddAgentTelemetry(this IServiceCollection services, string node)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceInstanceId: node))
            // "System.Runtime" is the runtime's built-in meter (GC, threads) since .NET 9: no extra package needed.
            .WithMetrics(m => m.AddHttpClientInstrumentation().AddMeter("System.Runtime", AgentInstruments.Name).AddPrometheusExporter())
            .WithTracing(t => t.AddHttpClientInstrumentation().AddSource(AgentInstruments.Name));
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
            otel.UseOtlpExporter();
        return services;
    }
}
