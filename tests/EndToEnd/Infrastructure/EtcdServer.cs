using System.Diagnostics;

namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// etcd on free loopback ports with fresh data dirs, so that no run sees another's keys: one member by default, or a
/// cluster of <paramref name="members"/> processes that know each other by their peer URLs. <see cref="Url"/> lists
/// every member's client URL, comma separated, as the control plane's <c>--etcd</c> takes it.
/// </summary>
public sealed class EtcdServer(string name, string workDir, int members = 1)
{
    private sealed record Member(string Name, string ClientUrl, string PeerUrl, string DataDir, string Log)
    {
        public Process? Process { get; set; }
    }

    private readonly Member[] _members = [.. Enumerable.Range(1, members).Select(i => members == 1
        ? new Member(name, $"http://127.0.0.1:{Ports.Free()}", $"http://127.0.0.1:{Ports.Free()}", Path.Combine(workDir, "etcd"), Path.Combine(workDir, "etcd.log"))
        : new Member($"{name}-{i}", $"http://127.0.0.1:{Ports.Free()}", $"http://127.0.0.1:{Ports.Free()}", Path.Combine(workDir, $"etcd-{i}"), Path.Combine(workDir, $"etcd-{i}.log")))];

    public string Url => string.Join(",", _members.Select(m => m.ClientUrl));

    public async Task StartAsync()
    {
        // Every member at once: a member of a new cluster answers only once a quorum of its peers is up.
        var cluster = string.Join(",", _members.Select(m => $"{m.Name}={m.PeerUrl}"));
        foreach (var m in _members)
        {
            m.Process = ProcessRunner.StartDaemon("etcd",
            [
                "--name", m.Name, "--data-dir", m.DataDir,
                "--listen-client-urls", m.ClientUrl, "--advertise-client-urls", m.ClientUrl,
                "--listen-peer-urls", m.PeerUrl, "--initial-advertise-peer-urls", m.PeerUrl,
                "--initial-cluster", cluster, "--initial-cluster-token", name,
            ], m.Log);
        }
        await Wait.UntilAsync(async () => (await Etcdctl("endpoint", "health")).ExitCode == 0, TimeSpan.FromSeconds(20),
            $"etcd ({_members.Length} member(s)) to answer");
    }

    /// <summary>etcdctl against every member (`endpoint health` succeeds only when each one is healthy).</summary>
    public Task<CommandResult> Etcdctl(params string[] args) =>
        ProcessRunner.RunAsync("etcdctl", ["--endpoints", Url, .. args],
            new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });

    /// <summary>SIGTERM, keeping the data: <see cref="StartAsync"/> brings the same members back.</summary>
    public async Task PauseAsync()
    {
        foreach (var m in _members)
            if (!await ProcessRunner.TerminateAsync(m.Process, TimeSpan.FromSeconds(20)))
                throw new TimeoutException($"etcd member {m.Name} did not exit within 20 s of SIGTERM");
    }

    /// <summary>Stops the processes and drops their data; safe to call twice.</summary>
    public void Stop()
    {
        foreach (var m in _members)
        {
            ProcessRunner.Stop(m.Process);
            try { Directory.Delete(m.DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
