using System.Net;
using System.Text.Json.Serialization;
using OpenTelemetry.Trace;
using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Api;
using Orchestrator.ControlPlane.Auth;
using Orchestrator.ControlPlane.Nodes;
using Orchestrator.ControlPlane.Secrets;
using Orchestrator.ControlPlane.Storage;
using Orchestrator.ControlPlane.Ui;
using Orchestrator.Scheduler;
using Orchestrator.ServiceDefaults;
using Orleans.Configuration;
using Orleans.Serialization;

namespace Orchestrator.ControlPlane.Hosting;

/// <summary>
/// The control plane as one buildable application: Program runs it, and tests host it in their own process
/// (with an in-memory trace exporter through <paramref name="extraTracing"/>).
/// </summary>
public static class ControlPlaneHost
{
    public const string ServiceName = "orchestrator-control-plane";

    /// <summary>Orleans' own meter (grain calls, activations, messaging, membership).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <exception cref="InvalidSettingsException">a setting is wrong; every problem is listed</exception>
    public static WebApplication Build(string[] args, Action<TracerProviderBuilder>? extraTracing = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCommandLine(args, ControlPlaneFlags.SwitchMappings);
        var options = builder.Configuration.GetSection("ControlPlane").Get<ControlPlaneOptions>() ?? new ControlPlaneOptions();
        var problems = options.Validate().Concat(OrchestratorDefaults.Validate(builder.Configuration)).ToList();
        var apiUrls = ControlPlaneTls.ApiUrls(builder.WebHost, problems);
        if (problems.Count > 0) throw new InvalidSettingsException(problems);
        var certificates = ControlPlaneTls.LoadCertificates(options, apiUrls, TimeProvider.System);
        builder.WebHost.ServeApiOverHttps(certificates);

        // The key ring is read (or made) before anything starts: a key file that cannot be used fails the start, with its reason.
        EncryptionKeyRing keyRing;
        try { keyRing = EncryptionKeyRing.OpenOrCreate(options.EncryptionKeyPath); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingsException([$"--encryption-key-file: {e.Message}"]);
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBytes);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        // One line per request is noise at agent heartbeat rates; our own components say what matters.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Orleans logs every resilience-pipeline run (grain placement) at Information: one line per grain call.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(certificates);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => EtcdKv.Connect(options.Etcd, EtcdTls.FromOptions(options)));
        builder.Services.AddSingleton(new Keys(options.KeyPrefix));
        // The watched copy of etcd every read comes from; started first, so that it lists while the rest starts.
        builder.Services.AddSingleton<ClusterCache>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterCache>());
        builder.Services.AddSingleton(new SecretEnvelope(keyRing));
        builder.Services.AddSingleton(sp => new ClusterStore(sp.GetRequiredService<EtcdKv>(), sp.GetRequiredService<Keys>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ClusterCache>(), sp.GetRequiredService<ILogger<ClusterStore>>(),
            sp.GetRequiredService<SecretEnvelope>()));
        builder.Services.AddSingleton<EventRecorder>();
        builder.Services.AddSingleton(sp => new TokenStore(sp.GetRequiredService<EtcdKv>(), sp.GetRequiredService<Keys>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ClusterCache>()));
        var adminToken = AdminTokenFile.ReadOrCreate(options.AdminTokenPath!);
        builder.Services.AddSingleton(sp => new AdminTokenBootstrap(sp.GetRequiredService<TokenStore>(), adminToken,
            sp.GetRequiredService<ILogger<AdminTokenBootstrap>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AdminTokenBootstrap>());
        builder.Services.AddSingleton<ServiceViews>();
        builder.Services.AddSingleton<AssignmentStream>();
        builder.Services.AddSingleton<ObjectWatchStream>();
        builder.Services.AddSingleton<AgentClient>();
        builder.Services.AddSingleton(_ => Placer.CreateDefault());
        builder.Services.AddSingleton<ControlPlaneLifecycle>();
        builder.Services.AddSingleton<ServiceResyncLoop>();
        builder.Services.AddSingleton<IServiceResyncTrigger>(sp => sp.GetRequiredService<ServiceResyncLoop>());
        builder.Services.AddSingleton<NodeWatch>();
        builder.Services.AddSingleton<NodeTransitions>();
        builder.Services.AddHostedService<NodeMonitorLoop>();
        builder.Services.AddSingleton<Network.NetworkPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Network.NetworkPublisher>());
        builder.Services.AddHostedService<CompactionLoop>();
        builder.Services.AddHostedService<ApplyPathWarmUp>();
        builder.Services.AddHostedService<VolumeReclaimLoop>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ServiceResyncLoop>());
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        builder.AddOrchestratorDefaults(new TelemetryIdentity
        {
            ServiceName = ServiceName,
            Sources = [Telemetry.Name],
            Meters = [Telemetry.Name, OrleansMeter],
            Tracing = extraTracing,
        });
        builder.Services.AddClusterMetrics();

        builder.UseOrleans(silo =>
        {
            silo.ConfigureClustering(options);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = "orchestrator";
            });
            silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertiseAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            silo.UseClusterTls(certificates);
            // Contracts stays free of Orleans attributes: its records cross grain calls as JSON.
            silo.Services.AddSerializer(s => s.AddJsonSerializer(
                isSupported: t => t.Namespace == typeof(ServiceObject).Namespace,
                jsonSerializerOptions: Json.Options));
            silo.AddOrleansDashboard();
        });

        var app = builder.Build();
        app.UseApiErrors();
        app.UseStoppingGate();
        app.UseRequestBodyLimit(options.MaxRequestBytes);
        app.UseRouting();
        app.UseRouteAuthorization();
        app.UseWebSockets();
        app.MapHealthEndpoints();
        app.MapObjectEndpoints();
        app.MapDataObjectEndpoints();
        app.MapReleaseEndpoints();
        app.MapAgentEndpoints();
        app.MapNodeDataEndpoints();
        app.MapOverviewEndpoint();
        app.MapStatusPages();
        app.MapLoginPage();
        app.MapTokenEndpoints();
        app.MapLogsEndpoints();
        app.MapReplicaStreamEndpoints();
        app.MapTopEndpoints();
        app.MapContainersEndpoint();
        app.MapVolumeEndpoints();
        app.MapOrchestratorDefaults();
        return app;
    }
}
