using Docker.DotNet;
using Docker.DotNet.Models;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>`orc exec` through the engine's exec API (<see cref="IContainerExec"/>): create, start attached, read the hijacked stream.</summary>
public sealed partial class DockerRuntime
{
    public async Task<IExecProcess> StartExecAsync(string containerId, IReadOnlyList<string> command, bool tty, bool stdin, CancellationToken ct)
    {
        try
        {
            var created = await _client.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
            {
                Cmd = command.ToList(),
                AttachStdin = stdin,
                AttachStdout = true,
                AttachStderr = true,
                TTY = tty,
            }, ct);
            var stream = await _client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters { TTY = tty, Detach = false }, ct);
            return new DockerExecProcess(_client, created.ID, stream);
        }
        catch (DockerApiException e)
        {
            throw new ExecFailedException(e.ResponseBody is { Length: > 0 } body ? EngineMessage(body) : e.Message, e);
        }
    }

    /// <summary>The engine answers {"message": "..."}; the sentence is what a person needs.</summary>
    private static string EngineMessage(string body)
    {
        try { return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("message").GetString() ?? body; }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException) { return body.Trim(); }
    }

    private sealed class DockerExecProcess(DockerClient client, string execId, MultiplexedStream stream) : IExecProcess
    {
        public async Task<(byte Stream, int Count)> ReadAsync(byte[] buffer, CancellationToken ct)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            if (read.EOF) return (ReplicaStreams.Stdout, 0);
            return (read.Target == MultiplexedStream.TargetStream.StandardError ? ReplicaStreams.Stderr : ReplicaStreams.Stdout, read.Count);
        }

        public Task WriteStdinAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct) =>
            stream.WriteAsync(bytes.ToArray(), 0, bytes.Length, ct);

        public void CloseStdin() => stream.CloseWrite();

        public async Task ResizeAsync(int width, int height, CancellationToken ct)
        {
            try { await client.Exec.ResizeExecTtyAsync(execId, new ContainerResizeParameters { Width = width, Height = height }, ct); }
            catch (DockerApiException)
            {
                // an exec without a terminal, or one that just ended: there is nothing to resize
            }
        }

        public async Task<int> ExitCodeAsync(CancellationToken ct)
        {
            // The output ends a moment before the engine records the exit code.
            for (var i = 0; ; i++)
            {
                var inspected = await client.Exec.InspectContainerExecAsync(execId, ct);
                if (!inspected.Running || i >= 50) return (int)inspected.ExitCode;
                await Task.Delay(20, ct);
            }
        }

        public ValueTask DisposeAsync()
        {
            stream.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
