using System.Globalization;
using System.Runtime.CompilerServices;
using Docker.DotNet;
using Docker.DotNet.Models;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>Logs and stats of this cluster's containers (<see cref="IContainerDiagnostics"/>).</summary>
public sealed partial class DockerRuntime
{
    public async Task<ObservedContainer?> FindReplicaAsync(string replicaId, CancellationToken ct) =>
        (await ListAsync(ct)).Where(c => c.ReplicaId == replicaId)
            .OrderByDescending(c => c.IsRunning).ThenByDescending(c => c.CreatedAt)
            .FirstOrDefault();

    public async IAsyncEnumerable<IReadOnlyList<string>> LogsAsync(string containerId, int? tail, bool follow,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = follow,
            Tail = tail?.ToString(CultureInfo.InvariantCulture) ?? "all",
        };
        // Containers are created without a TTY, so the engine multiplexes stdout and stderr in frames.
        using var stream = await _client.Containers.GetContainerLogsAsync(containerId, parameters, ct);
        // A pending read on the engine's socket does not always notice the token; closing the stream ends it.
        await using var closeOnCancel = ct.Register(stream.Dispose);
        var lines = new LogLines();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            MultiplexedStream.ReadResult read;
            try { read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct); }
            catch (ObjectDisposedException) when (ct.IsCancellationRequested) { yield break; }
            if (read.EOF) break;
            var complete = lines.Add((int)read.Target, buffer, read.Count);
            if (complete.Count > 0) yield return complete;
        }
        var last = lines.Flush();
        if (last.Count > 0) yield return last;
    }

    public async Task<IReadOnlyList<ContainerUsage>> UsageAsync(CancellationToken ct)
    {
        var running = (await ListAsync(ct)).Where(c => c.IsRunning).ToList();
        // Each answer takes the engine about a second (it samples twice), so they are asked for all at once.
        var usages = await Task.WhenAll(running.Select(c => UsageOfAsync(c, ct)));
        return usages.OfType<ContainerUsage>().ToList();
    }

    private async Task<ContainerUsage?> UsageOfAsync(ObservedContainer container, CancellationToken ct)
    {
        ContainerStatsResponse? stats;
        try
        {
            // stream=false without one-shot: the engine waits for a second sample, so the answer carries precpu_stats.
            // The stream overload (marked obsolete in favour of the progress one), read to its end here, so that an answer
            // is either complete or an exception; with the progress one, a test once saw a container missing (cause not found).
#pragma warning disable CS0618
            await using var answer = await _client.Containers.GetContainerStatsAsync(container.Id, new ContainerStatsParameters { Stream = false }, ct);
#pragma warning restore CS0618
            stats = await System.Text.Json.JsonSerializer.DeserializeAsync<ContainerStatsResponse>(answer, cancellationToken: ct);
        }
        catch (DockerApiException)
        {
            return null; // removed or stopped since the list: it is not running, so it uses nothing
        }
        if (stats is null) return null;
        return new ContainerUsage
        {
            ReplicaId = container.ReplicaId ?? "",
            Namespace = container.Labels.GetValueOrDefault(ContainerLabels.Namespace) ?? ObjectKinds.DefaultNamespace,
            Service = container.Labels.GetValueOrDefault(ContainerLabels.Service) ?? "",
            ContainerId = container.Id,
            MilliCpu = UsageMath.MilliCpu(stats),
            MemoryBytes = UsageMath.MemoryBytes(stats),
        };
    }
}
