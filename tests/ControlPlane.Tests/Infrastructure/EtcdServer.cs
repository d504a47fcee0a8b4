using System.Diagnostics;
using System.Net.Http.Json;

namespace Orchestrator.ControlPlane.Tests.Infrastructure;

/// <summary>
/// A real, single-member etcd (the <c>etcd</c> binary, /usr/bin/etcd unless ETCD_BINARY says
/// otherwise) on free loopback ports with a fresh data directory, for the lifetime of one test
/// collection. Tests sharing it keep apart by using their own key prefix.
/// </summary>
public sealed class EtcdServer : IAsyncLifetime
{
    private const int StartAttempts = 3;
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(20);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"etcd-test-{Guid.NewGuid():N}");
    private readonly List<string> _output = [];
    private Process? _process;

    /// <summary>The client URL, e.g. <c>http://127.0.0.1:41234</c>; what dotnet-etcd's EtcdClient takes.</summary>
    public string ClientUrl { get; private set; } = "";

    /// <summary>When set, etcd serves its client URL over TLS with these files and requires a client certificate of the CA.</summary>
    public EtcdServerTls? Tls { get; init; }

    public async Task InitializeAsync()
    {
        // The test host can die without disposing fixtures; an orphaned etcd would hold its ports.
        AppDomain.CurrentDomain.ProcessExit += StopOnExit;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync();
                return;
            }
            catch (Exception) when (attempt < StartAttempts)
            {
                // Most likely a probed port was taken before etcd bound it; try other ports.
                Stop();
                _peerUrl = null;
            }
        }
    }

    /// <summary>`etcdctl compact REVISION`: every older revision is gone, as after etcd's periodic compaction.</summary>
    public async Task<bool> CompactAsync(long revision)
    {
        var psi = new ProcessStartInfo("etcdctl", ["--endpoints", ClientUrl, "compact", revision.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment["ETCDCTL_API"] = "3";
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync();
        return p.ExitCode == 0;
    }

    public Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        Stop();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Kills etcd (its data kept), waits <paramref name="away"/>, and starts it again on the same addresses; returns
    /// when it answers its health check again.
    /// </summary>
    public async Task BeAwayAsync(TimeSpan away, Func<Task>? meanwhile = null)
    {
        _process!.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        _process = null;
        var back = Task.Delay(away);
        while (meanwhile is not null && !back.IsCompleted) await meanwhile();
        await back;
        await StartAsync();
    }

    private string? _peerUrl;

    private async Task StartAsync()
    {
        var clientUrl = ClientUrl.Length > 0 ? ClientUrl : $"{(Tls is null ? "http" : "https")}://127.0.0.1:{LoopbackPorts.Free()}";
        var peerUrl = _peerUrl ??= $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("ETCD_BINARY") ?? "/usr/bin/etcd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--name", "test",
            "--data-dir", _dataDirectory,
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", $"test={peerUrl}",
            "--logger", "zap", "--log-level", "warn",
        }.Concat(Tls is null ? [] : new[]
        {
            "--cert-file", Tls.CertFile, "--key-file", Tls.KeyFile,
            "--trusted-ca-file", Tls.CaFile, "--client-cert-auth",
        }))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}");
        // Drain both pipes so etcd never blocks on a full buffer, and keep the text for failure messages.
        _process.OutputDataReceived += (_, line) => Remember(line.Data);
        _process.ErrorDataReceived += (_, line) => Remember(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await WaitUntilHealthyAsync(clientUrl, _process);
        ClientUrl = clientUrl;
    }

    private async Task WaitUntilHealthyAsync(string clientUrl, Process process)
    {
        using var http = new HttpClient(Tls?.Handler() ?? new HttpClientHandler()) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + HealthTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"etcd exited with code {process.ExitCode}:\n{Output()}");
            }

            try
            {
                var health = await http.GetFromJsonAsync<HealthAnswer>($"{clientUrl}/health");
                if (health?.Health == "true")
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"etcd at {clientUrl} was not healthy within {HealthTimeout}:\n{Output()}");
    }

    private void Stop()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
            _process = null;
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private void StopOnExit(object? sender, EventArgs e) => Stop();

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output.TakeLast(40));
        }
    }

    // The shape of etcd's /health answer: {"health":"true"}.
    private sealed record HealthAnswer(string Health);
}

/// <summary>PEM files for an etcd that serves TLS: its certificate and key, and the CA its clients' certificates chain to.</summary>
public sealed record EtcdServerTls(string CaFile, string CertFile, string KeyFile, string ClientCertFile, string ClientKeyFile)
{
    /// <summary>A client of this etcd: trusts the CA and presents the client certificate (for the health check).</summary>
    public HttpMessageHandler Handler() =>
        Orchestrator.Tls.ClusterTrust.FromFile(CaFile).Handler(Orchestrator.Tls.PemFiles.ReadCertificateWithKey(ClientCertFile, ClientKeyFile));
}

/// <summary>Tests in this collection share one <see cref="EtcdServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdServer>
{
    public const string Name = "etcd";
}
