using Orchestrator.NodeAgent;
using Orchestrator.NodeAgent.Api;
using Orchestrator.NodeAgent.Loop;
using Orchestrator.NodeAgent.Options;
using Orchestrator.NodeAgent.Runtime;

// Settings come first and alone: a bad flag or value ends the process with a message, before any connection.
NodeAgentOptions options;
WebApplicationBuilder builder;
try
{
    builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
    builder.Configuration.AddAgentSources(args);
    options = builder.Configuration.GetSection(NodeAgentOptions.Section).Get<NodeAgentOptions>() ?? new NodeAgentOptions();
}
catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
{
    // The binder's own message names the key ("Failed to convert configuration value at 'Agent:ResyncInterval'"),
    // the inner one the value; a person needs both.
    var inner = e.InnerException is { } i ? $" ({i.Message})" : "";
    return Exit($"cannot read the settings: {e.Message}{inner}; durations are written like 00:00:10");
}
var errors = NodeAgentOptionsValidator.Validate(options);
if (errors.Count > 0) return Exit(string.Join(Environment.NewLine, errors.Prepend("invalid settings:").Select((l, i) => i == 0 ? l : "  " + l)));

builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss.fff "; });
// One line per agent action is the point of the log; per-request lines of the framework would bury them.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
builder.WebHost.UseUrls(options.Listen);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(_ => new DockerRuntime(options.Docker, options.Cluster, options.NodeName));
builder.Services.AddSingleton<IContainerRuntime>(sp => sp.GetRequiredService<DockerRuntime>());
builder.Services.AddSingleton<IContainerDiagnostics>(sp => sp.GetRequiredService<DockerRuntime>());
// The assignment stream stays open for hours: no client-wide timeout; each short call has its own.
builder.Services.AddHttpClient(nameof(Agent), c =>
{
    c.BaseAddress = new Uri(options.Api.TrimEnd('/') + "/");
    c.Timeout = Timeout.InfiniteTimeSpan;
});
builder.Services.AddSingleton(sp => new Agent(
    options,
    sp.GetRequiredService<IContainerRuntime>(),
    sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(Agent)),
    sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<ILoggerFactory>()));
builder.Services.AddHostedService<NodeAgentWorker>();
builder.Services.AddAgentTelemetry(options.NodeName);

var app = builder.Build();
app.MapGet("/healthz", (Agent agent) => Results.Ok(new
{
    node = options.NodeName,
    cluster = options.Cluster,
    session = agent.Session.Id,
    assignmentsKnown = agent.Assignments.Known,
    revision = agent.Assignments.Revision,
    assigned = agent.Assignments.Snapshot().Count,
    reconcilePasses = agent.ReconcilePasses,
}));
app.MapPrometheusScrapingEndpoint();
app.MapAgentApi(options.NodeName, options.Cluster);
app.Logger.LogInformation("node agent {Node} for cluster {Cluster}: api {Api}, docker {Docker}, listening on {Listen}",
    options.NodeName, options.Cluster, options.Api, options.Docker, options.Listen);
await app.RunAsync();
return 0;

static int Exit(string message)
{
    Console.Error.WriteLine($"node agent: {message}");
    return 2;
}
