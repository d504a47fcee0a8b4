using System.Diagnostics;
using System.Net.Http.Json;
using Orchestrator.Contracts;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// One control-plane process: the real program, its HTTPS API on <see cref="ApiUrl"/>, its Orleans ports free loopback
/// ports, clustered through etcd under a cluster id of its own. Start, crash and start it again at will.
/// </summary>
public sealed class ControlPlaneServer(string apiUrl, string etcdUrl, string clusterId, string logFile, ClusterTls tls) : IDisposable
{
    private readonly int _siloPort = Ports.Free();
    private readonly int _gatewayPort = Ports.Free();
    private Process? _process;

    public string ApiUrl => apiUrl;
    public int SiloPort => _siloPort;
    public int GatewayPort => _gatewayPort;

    /// <summary>Where the control plane keeps its own files (the encryption key file): the folder of its log.</summary>
    public string DataDir => Path.GetDirectoryName(Path.GetFullPath(logFile))!;

    /// <summary>The running process, for what only the OS can tell (its memory).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("the control plane is not running");
    public HttpClient Http { get; } = tls.ApiClient(apiUrl);
    public ClusterTls Tls => tls;

    public async Task StartAsync()
    {
        _process = ProcessRunner.StartDaemon("dotnet",
        [
            Repo.Program("ControlPlane", "Orchestrator.ControlPlane.dll"),
            "--urls", apiUrl, "--etcd", etcdUrl, "--cluster-id", clusterId,
            "--silo-port", _siloPort.ToString(), "--gateway-port", _gatewayPort.ToString(),
            // The run's folder: control planes of one run share its encryption key file, as a cluster's must; and the
            // run's CA (given as --ca-cert/--ca-key, so nothing of TLS is written into the shared folder).
            .. Credentials.ControlPlaneArgs(clusterId, DataDir),
            .. tls.ControlPlaneArgs,
        ], logFile);
        await Wait.UntilAsync(async () =>
        {
            try { return (await Http.GetAsync("/readyz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, TimeSpan.FromSeconds(60), "the control plane to be ready (see " + logFile + ")");
        Credentials.Started(apiUrl, clusterId, Http, tls);
    }

    /// <summary>SIGTERM, as an operator or an upgrade stops it; asserts that it exits within 60 s on its own.</summary>
    public async Task TerminateAsync()
    {
        if (!await ProcessRunner.TerminateAsync(_process, TimeSpan.FromSeconds(60)))
            throw new TimeoutException($"the control plane at {apiUrl} did not exit within 60 s of SIGTERM (see {logFile})");
    }

    /// <summary>SIGKILL, as a crash would: no graceful shutdown to hide behind.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.WaitForExit(10_000);
    }

    public async Task<T?> TryGetAsync<T>(string path)
    {
        try
        {
            var response = await Http.GetAsync(path);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<T>(Json.Options) : default;
        }
        catch (HttpRequestException)
        {
            return default;
        }
    }

    public void Dispose()
    {
        ProcessRunner.Stop(_process);
        Http.Dispose();
    }
}
