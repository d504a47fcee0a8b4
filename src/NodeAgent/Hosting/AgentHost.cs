using OpenTelemetry.Trace;
using Orchestrator.NodeAgent.Api;
using Orchestrator.NodeAgent.ControlPlane;
using Orchestrator.NodeAgent.Loop;
using Orchestrator.NodeAgent.Options;
using Orchestrator.NodeAgent.Reconcile;
using Orchestrator.NodeAgent.Network;
using Orchestrator.NodeAgent.Runtime;
using Orchestrator.ServiceDefaults;

namespace Orchestrator.NodeAgent.Hosting;

/// <summary>
/// The node agent as one buildable application: Program runs it, and tests host it in their own process
/// (with an in-memory trace exporter through <paramref name="extraTracing"/>).
/// </summary>
public static class AgentHost
{
    public const string ServiceName = "orchestrator-node-agent";

    /// <exception cref="InvalidSettingsException">a setting is wrong; every problem is listed</exception>
    public static WebApplication Build(string[] args, Action<TracerProviderBuilder>? extraTracing = null)
    {
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
            throw new InvalidSettingsException([$"cannot read the settings: {e.Message}{inner}; durations are written like 00:00:10"]);
        }
        var errors = NodeAgentOptionsValidator.Validate(options).Concat(OrchestratorDefaults.Validate(builder.Configuration)).ToList();
        if (errors.Count > 0) throw new InvalidSettingsException(errors);
        AgentTls tls;
        try { tls = AgentTls.Create(options, TimeProvider.System.GetUtcNow()); }
        catch (Orchestrator.Tls.TlsSetupException e) { throw new InvalidSettingsException([$"Agent:CaFile (--ca-file): {e.Message}"]); }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss.fff "; });
        // One line per agent action is the point of the log; per-request lines of the framework would bury them.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.WebHost.UseUrls(options.Listen);
        tls.ConfigureKestrel(builder.WebHost);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        var replicaNetwork = options.NetworkMode is NetworkModes.HostGw or NetworkModes.Vxlan ? new ReplicaNetwork(true) : ReplicaNetwork.Disabled;
        builder.Services.AddSingleton(_ => new DockerRuntime(options.Docker, options.Cluster, options.NodeName, replicaNetwork));
        builder.Services.AddSingleton<IContainerRuntime>(sp => sp.GetRequiredService<DockerRuntime>());
        builder.Services.AddSingleton<IContainerDiagnostics>(sp => sp.GetRequiredService<DockerRuntime>());
        builder.Services.AddSingleton<INodeVolumes>(sp => sp.GetRequiredService<DockerRuntime>());
        builder.Services.AddSingleton<IContainerExec>(sp => sp.GetRequiredService<DockerRuntime>());
        // The assignment stream stays open for hours: no client-wide timeout; each short call has its own.
        var controlPlanes = options.ApiUrls().Select(u => new Uri(u.TrimEnd('/') + "/")).ToList();
        builder.Services.AddSingleton(sp => new ControlPlaneAddresses(controlPlanes, sp.GetRequiredService<ILogger<ControlPlaneAddresses>>()));
        builder.Services.AddSingleton(sp => new NodeCredential(options.NodeName, options.StateDir, options.JoinToken, options.JoinTokenFile,
            sp.GetRequiredService<ILogger<NodeCredential>>()));
        builder.Services.AddHttpClient(nameof(NodeCredential))
            .ConfigurePrimaryHttpMessageHandler(() => tls.Trust.Handler())
            .AddHttpMessageHandler(sp => new ControlPlaneFailover(sp.GetRequiredService<ControlPlaneAddresses>()));
        builder.Services.AddHttpClient(nameof(Agent), c =>
        {
            c.BaseAddress = controlPlanes[0];
            c.Timeout = Timeout.InfiniteTimeSpan;
            ControlPlaneClient.PreferHttp2(c);
        }).ConfigurePrimaryHttpMessageHandler(() => tls.Trust.Handler())
            .AddHttpMessageHandler(sp => new NodeCredentialHandler(sp.GetRequiredService<NodeCredential>(),
                () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(NodeCredential))))
            .AddHttpMessageHandler(sp => new ControlPlaneFailover(sp.GetRequiredService<ControlPlaneAddresses>()));
        builder.Services.AddSingleton(sp => new Agent(
            options,
            sp.GetRequiredService<IContainerRuntime>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(Agent)),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            replicaNetwork.Enabled ? (sp.GetRequiredService<DockerRuntime>(), replicaNetwork) : null,
            certificateSha256: tls.Pin));
        builder.Services.AddHostedService<NodeAgentWorker>();
        builder.AddOrchestratorDefaults(new TelemetryIdentity
        {
            ServiceName = ServiceName,
            NodeName = options.NodeName,
            Sources = [AgentInstruments.Name],
            Meters = [AgentInstruments.Name],
            Tracing = extraTracing,
        });
        builder.Services.AddSingleton<AgentGauges>();

        var app = builder.Build();
        // Resolved now so that its gauges exist from the first scrape on.
        app.Services.GetRequiredService<AgentGauges>();
        tls.RequireControlPlaneForApi(app);
        app.UseWebSockets();
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
        app.MapAgentApi(options.NodeName, options.Cluster);
        app.MapReplicaStreamApi(options.NodeName);
        app.MapOrchestratorDefaults();
        app.Logger.LogInformation("node agent {Node} for cluster {Cluster}: api {Api}, docker {Docker}, listening on {Listen}",
            options.NodeName, options.Cluster, options.Api, options.Docker, options.Listen);
        return app;
    }
}
