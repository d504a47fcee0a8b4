using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// ./up.sh is the documented way to start again what stopped: it must never put the demo back over what the user
/// changed, and it restarts only what is not running. Run on ports, a cluster name and a run folder of its own, so it
/// touches nothing of a ./up.sh cluster the machine may already run.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class UpScriptTests : IDisposable
{
    private readonly string _runId = "e2e-up-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _runDir;
    private readonly Dictionary<string, string> _env;
    private readonly RunLock _lock;
    private readonly Infrastructure.Docker _docker = new();

    public UpScriptTests()
    {
        _lock = RunLock.Take(_runId);
        _runDir = Path.Combine(Path.GetTempPath(), "orchestrator-" + _runId);
        var api = Ports.Free();
        _env = new Dictionary<string, string>
        {
            ["ORC_RUN_DIR"] = _runDir,
            ["ORC_API_PORT"] = api.ToString(),
            ["ORC_AGENT_PORT"] = Ports.Free().ToString(),
            ["ORC_ETCD_CLIENT_PORT"] = Ports.Free().ToString(),
            ["ORC_ETCD_PEER_PORT"] = Ports.Free().ToString(),
            ["ORC_CLUSTER"] = _runId,
            ["ORC_NODE_NAME"] = _runId,
            ["ORC_SERVER"] = $"https://127.0.0.1:{api}",
            // up.sh writes the CLI's config there (server, admin token and cluster CA), never into the real home.
            ["HOME"] = Path.Combine(_runDir, "home"),
            ["NO_BUILD"] = "1",
        };
        Directory.CreateDirectory(_env["HOME"]);
    }

    private Task<CommandResult> Script(string name, params string[] args) =>
        ProcessRunner.RunAsync(Path.Combine(Repo.Root, name), args, _env, timeout: TimeSpan.FromMinutes(3));

    /// <summary>
    /// `orc` as a newcomer runs it after ./up.sh: no flag and no variable, only the config up.sh wrote into HOME
    /// (server, admin token and the cluster CA).
    /// </summary>
    private Task<CommandResult> Orc(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [Repo.Program("Cli", "orc.dll"), .. args],
            new Dictionary<string, string> { ["HOME"] = _env["HOME"] }, timeout: TimeSpan.FromSeconds(60));

    private async Task<int> RunningWebAsync() => (await _docker.ContainersAsync(_runId, "default/web", runningOnly: true)).Count;

    [Fact]
    public async Task Running_up_again_after_a_stop_keeps_a_scale_and_applies_the_demo_only_once()
    {
        var first = await Script("up.sh");
        Assert.True(first.ExitCode == 0, first.ToString());
        await Wait.UntilAsync(async () => await RunningWebAsync() == 3, TimeSpan.FromSeconds(30), "the demo's 3 web replicas");

        Assert.Equal(0, (await Orc("scale", "service", "web", "--replicas", "5")).ExitCode);
        await Wait.UntilAsync(async () => await RunningWebAsync() == 5, TimeSpan.FromSeconds(30), "5 web replicas");
        var before = await _docker.ContainersAsync(_runId, "default/web", runningOnly: true);

        // Stop the agent and the control plane (etcd keeps running), as a crash or an operator would.
        foreach (var component in new[] { "agent", "controlplane" })
        {
            var pid = int.Parse(File.ReadAllLines(Path.Combine(_runDir, "pids", component + ".pid"))[0]);
            var p = System.Diagnostics.Process.GetProcessById(pid);
            Assert.True(await ProcessRunner.TerminateAsync(p, TimeSpan.FromSeconds(60)), $"{component} did not stop on SIGTERM");
        }

        var again = await Script("up.sh");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("not applied again", again.Stderr + again.Stdout);
        await Task.Delay(TimeSpan.FromSeconds(6));

        using var http = new HttpClient(Orchestrator.Tls.ClusterTrust.FromFile(Path.Combine(_runDir, "control-plane", "ca.crt")).Handler())
        {
            BaseAddress = new Uri(_env["ORC_SERVER"]),
        };
        http.DefaultRequestHeaders.Authorization = new("Bearer", File.ReadAllText(Path.Combine(_runDir, "control-plane", "admin.token")).Trim());
        var services = Json.Deserialize<List<ServiceView>>(await http.GetStringAsync("/api/v1/services"));
        Assert.Equal(5, services.Single(s => s.Service.Metadata.Name == "web").Service.Spec.Replicas);
        RunningWork.AssertUnchanged(before, await _docker.ContainersAsync(_runId, "default/web", runningOnly: true), "after ./up.sh ran again");
    }

    public void Dispose()
    {
        try { Script("down.sh", "--purge").GetAwaiter().GetResult(); }
        finally
        {
            _docker.RemoveClusterContainersAsync(_runId).GetAwaiter().GetResult();
            _lock.Dispose();
        }
    }
}
