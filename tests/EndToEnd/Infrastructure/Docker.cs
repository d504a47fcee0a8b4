using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.EndToEnd.Infrastructure;

public sealed record ContainerInfo(string Id, string Name, string State, string ReplicaId, DateTimeOffset StartedAt, long MemoryLimit,
    int RestartCount, IReadOnlyList<int> HostPorts)
{
    public string Image { get; init; } = "";

    /// <summary>The container's main process as the machine sees it (0 when it does not run).</summary>
    public int Pid { get; init; }
}

/// <summary>The engine did not answer a question the test relies on: the test fails rather than read it as "none".</summary>
public sealed class EngineError(string command, string? host, CommandResult result)
    : Exception($"{command} failed against {host ?? "/var/run/docker.sock"} (exit {result.ExitCode}): {result.Stderr.Trim()}");

/// <summary>
/// A real Docker engine, asked through the docker CLI: what really runs is the test's ground truth.
/// Without <paramref name="host"/> it is the machine's engine; with it (unix:///..., as `docker -H` takes it)
/// one test host's own engine.
/// </summary>
public sealed class Docker(string? host = null)
{
    public string? Host => host;

    public async Task RequireEngineAsync()
    {
        var info = await Run(["info", "--format", "{{.ServerVersion}}"]);
        if (info.ExitCode != 0)
            throw new InvalidOperationException($"no Docker engine answers at {host ?? "/var/run/docker.sock"}; ./test.sh starts one. " + info.Stderr);
    }

    /// <summary>
    /// Containers left by an earlier run that died before cleaning up (their cluster label starts with e2e-). A cluster
    /// whose test process still lives holds its <see cref="RunLock"/>, so test runs side by side (worktrees) never
    /// remove each other's containers.
    /// </summary>
    public async Task RemoveStaleTestContainersAsync()
    {
        var ids = await IdsAsync(["--filter", $"label={ContainerLabels.Managed}=true", "--format", "{{.ID}} {{.Label \"" + ContainerLabels.Cluster + "\"}}"]);
        var stale = ids.Select(l => l.Split(' ')).Where(p => p.Length == 2 && p[1].StartsWith("e2e-") && !RunLock.IsHeld(p[1])).Select(p => p[0]).ToList();
        if (stale.Count > 0) await RemoveAsync(stale);
        var volumes = await Run(["volume", "ls", "--filter", $"label={ContainerLabels.Managed}=true", "--format", "{{.Name}} {{.Label \"" + ContainerLabels.Cluster + "\"}}"]);
        var staleVolumes = volumes.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
            .Where(p => p.Length == 2 && p[1].StartsWith("e2e-") && !RunLock.IsHeld(p[1])).Select(p => p[0]).ToList();
        if (staleVolumes.Count > 0) await Run(["volume", "rm", "-f", .. staleVolumes]);
    }

    /// <summary>The cluster's containers, then the volumes its replicas left (a test's data is never kept).</summary>
    public async Task RemoveClusterContainersAsync(string cluster)
    {
        var ids = await IdsAsync(["--filter", $"label={ContainerLabels.Cluster}={cluster}", "--format", "{{.ID}}"]);
        if (ids.Count > 0) await RemoveAsync(ids);
        await RemoveClusterVolumesAsync(cluster);
    }

    /// <summary>The names of the cluster's Docker volumes (persistent and shared spec.volumes), sorted.</summary>
    public async Task<IReadOnlyList<string>> ClusterVolumesAsync(string cluster)
    {
        var ls = await Run(["volume", "ls", "--filter", $"label={ContainerLabels.Cluster}={cluster}", "--format", "{{.Name}}"]);
        if (ls.ExitCode != 0) throw new EngineError("docker volume ls", host, ls);
        return ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
    }

    private async Task RemoveClusterVolumesAsync(string cluster)
    {
        var names = await ClusterVolumesAsync(cluster);
        if (names.Count > 0) await Run(["volume", "rm", "-f", .. names]);
    }

    private async Task RemoveAsync(IReadOnlyList<string> ids)
    {
        var rm = await Run(["rm", "-f", .. ids]);
        if (rm.ExitCode != 0 && !IsGone(rm)) throw new EngineError("docker rm -f", host, rm);
    }

    public async Task<IReadOnlyList<string>> ClusterContainerIdsAsync(string cluster) =>
        await IdsAsync(["--filter", $"label={ContainerLabels.Cluster}={cluster}", "--format", "{{.ID}}"]);

    public async Task<IReadOnlyList<ContainerInfo>> ContainersAsync(string cluster, string service, bool runningOnly)
    {
        // "namespace/name": the agent labels the two apart.
        var (ns, name) = (service.Split('/')[0], service.Split('/')[1]);
        var ids = await IdsAsync(["--filter", $"label={ContainerLabels.Cluster}={cluster}",
            "--filter", $"label={ContainerLabels.Namespace}={ns}", "--filter", $"label={ContainerLabels.Service}={name}", "--format", "{{.ID}}"]);
        if (ids.Count == 0) return [];
        var all = await InspectAsync(ids);
        return runningOnly ? all.Where(c => c.State == "running").ToList() : all;
    }

    /// <summary>
    /// Inspects the containers that still exist. One removed between `ps` and `inspect` fails a joint inspect, so then
    /// each is inspected alone and the missing one skipped: counting the others as gone would be a false reading.
    /// Any other failure (no engine, a refused connection) is an <see cref="EngineError"/>, never "no containers".
    /// </summary>
    private async Task<List<ContainerInfo>> InspectAsync(IReadOnlyList<string> ids)
    {
        var joint = await Run(["inspect", "--type", "container", .. ids]);
        if (joint.ExitCode == 0) return ParseAll(joint.Stdout);
        var found = new List<ContainerInfo>();
        foreach (var id in ids)
        {
            var one = await Run(["inspect", "--type", "container", id]);
            if (one.ExitCode == 0) found.AddRange(ParseAll(one.Stdout));
            else if (!IsGone(one)) throw new EngineError("docker inspect " + id, host, one);
        }
        return found;
    }

    /// <summary>The engine answered that the container does not exist (removed meanwhile), as opposed to not answering.</summary>
    private static bool IsGone(CommandResult r) => r.Stderr.Contains("No such container", StringComparison.OrdinalIgnoreCase)
        || r.Stderr.Contains("No such object", StringComparison.OrdinalIgnoreCase);

    private static List<ContainerInfo> ParseAll(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(Parse).ToList();
    }

    public Task<CommandResult> RemoveForceAsync(string id) => Run(["rm", "-f", id]);

    /// <summary>`docker inspect -f FORMAT ID`, trimmed: what the engine holds for one container.</summary>
    public async Task<string> InspectFieldAsync(string id, string format) => (await Run(["inspect", "-f", format, id])).Stdout.Trim();

    /// <summary>SIGKILL to the container's process, as a crash would: the container stays, exited.</summary>
    public Task<CommandResult> KillAsync(string id) => Run(["kill", id]);

    /// <summary>`docker exec`: runs a command inside a running container.</summary>
    public Task<CommandResult> ExecAsync(string id, params string[] command) => Run(["exec", id, .. command]);

    /// <summary>`docker tag`: the quickest way to "build" an image a test made wait for.</summary>
    public Task<CommandResult> TagAsync(string source, string target) => Run(["tag", source, target]);

    /// <summary>`docker rmi` of a tag the test made; the image it names stays while other tags name it.</summary>
    public Task<CommandResult> RemoveImageAsync(string image) => Run(["rmi", image]);

    private Task<CommandResult> Run(string[] args) => ProcessRunner.RunAsync("docker", host is null ? args : ["-H", host, .. args]);

    private static ContainerInfo Parse(JsonElement c)
    {
        var state = c.GetProperty("State");
        var labels = c.GetProperty("Config").GetProperty("Labels");
        var ports = new List<int>();
        if (c.GetProperty("NetworkSettings").GetProperty("Ports") is { ValueKind: JsonValueKind.Object } map)
            foreach (var p in map.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.Array)
                    // dockerd 20.10 may bind IPv4 and IPv6 on different host ports; the IPv4 one is what 127.0.0.1 reaches.
                    ports.AddRange(p.Value.EnumerateArray()
                        .Where(b => b.GetProperty("HostIp").GetString() is "0.0.0.0" or "")
                        .Select(b => int.Parse(b.GetProperty("HostPort").GetString()!)));
        return new ContainerInfo(
            c.GetProperty("Id").GetString()!,
            c.GetProperty("Name").GetString()!.TrimStart('/'),
            state.GetProperty("Status").GetString()!,
            labels.TryGetProperty(ContainerLabels.ReplicaId, out var r) ? r.GetString()! : "",
            DateTimeOffset.Parse(state.GetProperty("StartedAt").GetString()!),
            c.GetProperty("HostConfig").GetProperty("Memory").GetInt64(),
            c.GetProperty("RestartCount").GetInt32(),
            ports.Distinct().ToList())
        {
            Image = c.GetProperty("Config").GetProperty("Image").GetString() ?? "",
            Pid = state.GetProperty("Pid").GetInt32(),
        };
    }

    /// <summary>How many containers of a service the engine runs right now: one `docker ps`, cheap enough to sample often.</summary>
    public async Task<int> RunningCountAsync(string cluster, string service) => (await RunningIdsAsync(cluster, service)).Count;

    /// <summary>The ids (full) of the running containers of a service.</summary>
    public async Task<IReadOnlyList<string>> RunningIdsAsync(string cluster, string service) =>
        await IdsAsync([.. ServiceFilters(cluster, service), "--filter", "status=running", "--format", "{{.ID}}"]);

    /// <summary>
    /// `docker events` for one service's containers, from <paramref name="since"/> on, as long as the process runs:
    /// one line "TIMENANO ACTION ID" per start and die.
    /// </summary>
    public Process StartServiceEvents(string cluster, string service, DateTimeOffset since)
    {
        string[] args = ["events", "--since", (since.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture),
            "--filter", "type=container", "--filter", "event=start", "--filter", "event=die",
            .. ServiceFilters(cluster, service), "--format", "{{.TimeNano}} {{.Action}} {{.Actor.ID}}"];
        var psi = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in host is null ? args : ["-H", host, .. args]) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start docker events");
    }

    /// <summary>
    /// Counts the cluster's container creates on this engine from now on, from a live `docker events` stream. Not a
    /// `--since/--until` query of the past: the engine keeps only its last 256 events, so a burst of other events (a
    /// previous test removing hundreds of containers) pushes creates out of it and the count reads too low.
    /// </summary>
    public CreateCounter CountCreates(string cluster)
    {
        string[] args = ["events", "--since", (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture),
            "--filter", "type=container", "--filter", "event=create", "--filter", $"label={ContainerLabels.Cluster}={cluster}",
            "--format", "{{.Actor.ID}}"];
        var psi = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in host is null ? args : ["-H", host, .. args]) psi.ArgumentList.Add(a);
        return new CreateCounter(Process.Start(psi) ?? throw new InvalidOperationException("could not start docker events"));
    }

    private static string[] ServiceFilters(string cluster, string service)
    {
        var (ns, name) = (service.Split('/')[0], service.Split('/')[1]);
        return ["--filter", $"label={ContainerLabels.Cluster}={cluster}",
            "--filter", $"label={ContainerLabels.Namespace}={ns}", "--filter", $"label={ContainerLabels.Service}={name}"];
    }

    private async Task<List<string>> IdsAsync(string[] filters)
    {
        var ps = await Run(["ps", "-a", "--no-trunc", .. filters]);
        // A failing `docker ps` prints nothing: read as "no containers" it would make every "none left" check pass.
        if (ps.ExitCode != 0) throw new EngineError("docker ps", host, ps);
        return ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
