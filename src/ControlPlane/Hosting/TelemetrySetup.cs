using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Orchestrator.ControlPlane.Hosting;

public static class TelemetrySetup
{
    /// <summary>Traces and metrics for our sources and ASP.NET Core; /metrics for Prometheus; OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
    public static IServiceCollection AddOrchestratorTelemetry(this IServiceCollection services, IConfiguration config, string serviceName, string sourceName)
    {
        var otlp = !string.IsNullOrEmpty(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()))
            .WithTracing(t =>
            {
                t.AddSource(sourceName).AddAspNetCoreInstrumentation();
                if (otlp) t.AddOtlpExporter();
            })
            .WithMetrics(m =>
            {
                m.AddMeter(sourceName).AddAspNetCoreInstrumentation().AddPrometheusExporter();
                if (otlp) m.AddOtlpExporter();
            });
        return services;
    }
}
