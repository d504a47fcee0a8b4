namespace Orchestrator.NodeAgent.Runtime;

/// <summary>A command run inside a replica's container (`orc exec`), apart from <see cref="IContainerRuntime"/> because reconcile never needs it.</summary>
public interface IContainerExec
{
    /// <summary>Starts <paramref name="command"/> in the container; with <paramref name="tty"/> under a pseudo-terminal (stdout and stderr are then one stream).</summary>
    /// <exception cref="ExecFailedException">the engine refused it (no such program, container not running)</exception>
    Task<IExecProcess> StartExecAsync(string containerId, IReadOnlyList<string> command, bool tty, bool stdin, CancellationToken ct);
}

/// <summary>One running exec: its output as it comes, its stdin, its terminal size, and at the end its exit code.</summary>
public interface IExecProcess : IAsyncDisposable
{
    /// <summary>The next piece of output: its stream (<see cref="Orchestrator.Contracts.ReplicaStreams.Stdout"/> or Stderr) and length; 0 bytes at the end.</summary>
    Task<(byte Stream, int Count)> ReadAsync(byte[] buffer, CancellationToken ct);
    Task WriteStdinAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct);
    void CloseStdin();
    Task ResizeAsync(int width, int height, CancellationToken ct);
    /// <summary>The command's exit code, once its output has ended.</summary>
    Task<int> ExitCodeAsync(CancellationToken ct);
}

/// <summary>The engine would not run the command; the message says why in its words.</summary>
public sealed class ExecFailedException(string message, Exception? inner = null) : Exception(message, inner);
