namespace Orchestrator.EndToEnd.Infrastructure;

/// <summary>
/// scripts/testbed.sh from C#: several hosts on this machine, each a network namespace with its own dockerd, on the
/// bridge orcbr0 (<see cref="Gateway"/>). One testbed per machine at a time (the names and addresses are fixed).
/// </summary>
public sealed class Testbed(string dir)
{
    public const string Subnet = "10.231.0";

    /// <summary>The machine's own address on the bridge: what the hosts reach the control plane on.</summary>
    public const string Gateway = Subnet + ".1";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);
    private static string Script => Path.Combine(Repo.Root, "scripts", "testbed.sh");

    public string Dir => dir;

    public Task UpAsync(int hosts) => RunAsync("up", hosts.ToString(), dir);

    public Task DownAsync() => RunAsync("down", dir);

    /// <summary>SIGKILL of the host's agent, dockerd, containerd, shims and containers: a machine losing power.</summary>
    public Task KillHostAsync(TestHost host) => RunAsync("kill-host", host.Index.ToString(), dir);

    /// <summary>Starts the host's dockerd again after <see cref="KillHostAsync"/>; its containers come back exited.</summary>
    public Task StartHostAsync(TestHost host) => RunAsync("start-host", host.Index.ToString(), dir);

    /// <summary>A graceful stop of the host's dockerd (its containers stop with it) and a start again; the agent runs on.</summary>
    public Task RestartEngineAsync(TestHost host) => RunAsync("restart-engine", host.Index.ToString(), dir);

    public Task PartitionAsync(TestHost host) => RunAsync("partition", host.Index.ToString());

    public Task HealAsync(TestHost host) => RunAsync("heal", host.Index.ToString());

    /// <summary>The node agent inside the host's namespace; returns once its /healthz answers.</summary>
    public Task StartAgentAsync(TestHost host, string apiUrl, string cluster, string labels, string[] agentFlags) =>
        RunAsync(["start-agent", host.Index.ToString(), dir, apiUrl, cluster, labels, .. agentFlags]);

    public Task StopAgentAsync(TestHost host) => RunAsync("stop-agent", host.Index.ToString(), dir);

    /// <summary>For a ProcessExit handler, where nothing asynchronous may be awaited: down, bounded in time.</summary>
    public void DownNow()
    {
        using var p = System.Diagnostics.Process.Start(Script, ["down", dir]);
        if (!p.WaitForExit(ScriptTimeout)) p.Kill(entireProcessTree: true);
    }

    private async Task RunAsync(params string[] args)
    {
        var env = new Dictionary<string, string> { ["ORC_AGENT_DLL"] = Repo.Program("NodeAgent", "Orchestrator.NodeAgent.dll") };
        var result = await ProcessRunner.RunAsync(Script, args, env, timeout: ScriptTimeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"testbed.sh {string.Join(' ', args)} failed: {result}");
    }
}
