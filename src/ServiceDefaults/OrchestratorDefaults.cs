using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Orchestrator.ServiceDefaults;

/// <summary>
/// The telemetry every Orchestrator process shares (like eShop's ServiceDefaults): OpenTelemetry metrics, traces and
/// logs with one resource, Prometheus on /metrics, and OTLP export as soon as OTEL_EXPORTER_OTLP_ENDPOINT is set
/// (the other standard OTEL_EXPORTER_OTLP_* variables — protocol, headers, timeout — apply as the SDK reads them).
/// </summary>
public static class OrchestratorDefaults
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Scrapes and probes would otherwise be most of the traces.</summary>
    private static readonly string[] UntracedPaths = ["/metrics", "/healthz", "/readyz"];

    /// <summary>Problems with the telemetry settings, one line each, for the host to print before it starts.</summary>
    public static IEnumerable<string> Validate(IConfiguration configuration)
    {
        var endpoint = configuration[OtlpEndpointVariable];
        if (string.IsNullOrWhiteSpace(endpoint)) yield break;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            yield return $"{OtlpEndpointVariable}: \"{endpoint}\" is not an http(s) URL like http://127.0.0.1:4317 (gRPC) or http://127.0.0.1:4318 (with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)";
    }

    public static WebApplicationBuilder AddOrchestratorDefaults(this WebApplicationBuilder builder, TelemetryIdentity identity)
    {
        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? Assembly.GetEntryAssembly()?.GetName().Version?.ToString();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService(identity.ServiceName, serviceVersion: version, autoGenerateServiceInstanceId: false)
                .AddAttributes(identity.Attributes(Environment.MachineName, Environment.ProcessId)))
            .WithMetrics(m =>
            {
                // "System.Runtime" is the runtime's own meter (GC, thread pool, exceptions) since .NET 9.
                m.AddMeter([.. identity.Meters, "System.Runtime"])
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
            })
            .WithTracing(t =>
            {
                t.AddSource([.. identity.Sources])
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsUntraced(context.Request.Path))
                    .AddHttpClientInstrumentation();
                identity.Tracing?.Invoke(t);
            })
            .WithLogging(configureBuilder: null, configureOptions: o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable])) otel.UseOtlpExporter();
        return builder;
    }

    /// <summary>Serves the Prometheus text format on /metrics.</summary>
    public static IEndpointRouteBuilder MapOrchestratorDefaults(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint();
        return app;
    }

    private static bool IsUntraced(PathString path) =>
        UntracedPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}
