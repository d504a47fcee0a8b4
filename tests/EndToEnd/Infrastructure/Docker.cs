using System.Text.Json;
using Orchestrator.Contracts;

namespace Orchestrator.EndToEnd.Infrastructure;

public sealed record ContainerInfo(string Id, string Name, string State, string ReplicaId, DateTimeOffset StartedAt, long MemoryLimit,
    int RestartCount, IReadOnlyList<int> HostPorts)
{
    public string Image { get; init; } = "";
}

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
        if (stale.Count > 0) await Run(["rm", "-f", .. stale]);
    }

    public async Task RemoveClusterContainersAsync(string cluster)
    {
        var ids = await IdsAsync(["--filter", $"label={ContainerLabels.Cluster}={cluster}", "--format", "{{.ID}}"]);
        if (ids.Count > 0) await Run(["rm", "-f", .. ids]);
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
    /// </summary>
    private async Task<List<ContainerInfo>> InspectAsync(IReadOnlyList<string> ids)
    {
        var joint = await Run(["inspect", .. ids]);
        if (joint.ExitCode == 0) return ParseAll(joint.Stdout);
        var found = new List<ContainerInfo>();
        foreach (var id in ids)
        {
            var one = await Run(["inspect", id]);
            if (one.ExitCode == 0) found.AddRange(ParseAll(one.Stdout));
        }
        return found;
    }

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
            ports.Distinct().ToList()) { Image = c.GetProperty("Config").GetProperty("Image").GetString() ?? "" };
    }

    /// <summary>How many containers of a service the engine runs right now: one `docker ps`, cheap enough to sample often.</summary>
    public async Task<int> RunningCountAsync(string cluster, string service)
    {
        var (ns, name) = (service.Split('/')[0], service.Split('/')[1]);
        var ids = await IdsAsync(["--filter", $"label={ContainerLabels.Cluster}={cluster}", "--filter", "status=running",
            "--filter", $"label={ContainerLabels.Namespace}={ns}", "--filter", $"label={ContainerLabels.Service}={name}", "--format", "{{.ID}}"]);
        return ids.Count;
    }

    private async Task<List<string>> IdsAsync(string[] filters)
    {
        var ps = await Run(["ps", "-a", "--no-trunc", .. filters]);
        return ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
