using System.Net;
using System.Text.Json.Serialization;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane;
using Orchestrator.ControlPlane.Api;
using Orchestrator.ControlPlane.Hosting;
using Orchestrator.ControlPlane.Nodes;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.Scheduler;
using Orleans.Configuration;
using Orleans.Serialization;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, ControlPlaneFlags.SwitchMappings);
var options = builder.Configuration.GetSection("ControlPlane").Get<ControlPlaneOptions>() ?? new ControlPlaneOptions();
var problems = options.Validate().ToList();
if (problems.Count > 0)
{
    foreach (var p in problems) Console.Error.WriteLine($"error: {p}");
    return 2;
}

builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
// One line per request is noise at agent heartbeat rates; our own components say what matters.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(_ => EtcdKv.Connect(options.Etcd));
builder.Services.AddSingleton(new Keys(options.KeyPrefix));
builder.Services.AddSingleton<ClusterStore>();
builder.Services.AddSingleton<EventRecorder>();
builder.Services.AddSingleton<ServiceViews>();
builder.Services.AddSingleton<AssignmentStream>();
builder.Services.AddSingleton<AgentClient>();
builder.Services.AddSingleton(_ => Placer.CreateDefault());
builder.Services.AddSingleton<ReconcileLoop>();
builder.Services.AddSingleton<NodeWatch>();
builder.Services.AddSingleton<NodeTransitions>();
builder.Services.AddHostedService<NodeMonitorLoop>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ReconcileLoop>());
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
});
builder.Services.AddOrchestratorTelemetry(builder.Configuration, "orchestrator-control-plane", Telemetry.Name);

builder.UseOrleans(silo =>
{
    silo.ConfigureClustering(options);
    silo.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = options.ClusterId;
        o.ServiceId = "orchestrator";
    });
    silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertiseAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
    // Contracts stays free of Orleans attributes: its records cross grain calls as JSON.
    silo.Services.AddSerializer(s => s.AddJsonSerializer(
        isSupported: t => t.Namespace == typeof(ServiceObject).Namespace,
        jsonSerializerOptions: Json.Options));
});

var app = builder.Build();
app.UseApiErrors();
app.MapHealthEndpoints();
app.MapObjectEndpoints();
app.MapAgentEndpoints();
app.MapLogsEndpoints();
app.MapTopEndpoints();
app.MapPrometheusScrapingEndpoint();
app.Run();
return 0;
