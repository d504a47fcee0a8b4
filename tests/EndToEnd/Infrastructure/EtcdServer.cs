using System.Diagnostics;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>A one-member etcd process on free loopback ports with a fresh data dir, so that no run sees another's keys.</summary>
public sealed class EtcdServer(string name, string workDir)
{
    private readonly int _peerPort = Ports.Free();
    private readonly string _dataDir = Path.Combine(workDir, "etcd");
    private Process? _process;

    public string Url { get; } = $"http://127.0.0.1:{Ports.Free()}";

    public async Task StartAsync()
    {
        var peerUrl = $"http://127.0.0.1:{_peerPort}";
        _process = ProcessRunner.StartDaemon("etcd",
        [
            "--name", name, "--data-dir", _dataDir,
            "--listen-client-urls", Url, "--advertise-client-urls", Url,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", $"{name}={peerUrl}",
        ], Path.Combine(workDir, "etcd.log"));
        await Wait.UntilAsync(async () => (await Etcdctl("endpoint", "health")).ExitCode == 0, TimeSpan.FromSeconds(20), "etcd to answer");
    }

    public Task<CommandResult> Etcdctl(params string[] args) =>
        ProcessRunner.RunAsync("etcdctl", ["--endpoints", Url, .. args],
            new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });

    /// <summary>SIGTERM, keeping the data: <see cref="StartAsync"/> brings the same member back.</summary>
    public async Task PauseAsync()
    {
        if (!await ProcessRunner.TerminateAsync(_process, TimeSpan.FromSeconds(20)))
            throw new TimeoutException("etcd did not exit within 20 s of SIGTERM");
    }

    /// <summary>Stops the process and drops its data; safe to call twice.</summary>
    public void Stop()
    {
        ProcessRunner.Stop(_process);
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
