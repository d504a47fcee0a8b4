using System.Net.WebSockets;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Api;

/// <summary>One exec between its WebSocket and its process: output out as binary messages led by their stream's byte, stdin and controls in.</summary>
public static class ExecSession
{
    /// <summary>The longest wait for the caller's answer to our close, after the exit code went out.</summary>
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs until the command's output ends, then sends its exit code and closes. A pending receive is never cancelled
    /// while the socket should live (a cancelled WebSocket operation aborts the socket, and the exit code with it): the
    /// input side ends with the caller's own close.
    /// </summary>
    public static async Task RunAsync(WebSocket socket, IExecProcess process, CancellationToken ct)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var input = Task.Run(() => ForwardInputAsync(socket, process, abort.Token), CancellationToken.None);
        var buffer = new byte[32 * 1024];
        try
        {
            while (true)
            {
                var (stream, count) = await process.ReadAsync(buffer, ct);
                if (count == 0) break;
                await socket.SendAsync(Frame(stream, buffer, count), WebSocketMessageType.Binary, true, ct);
            }
            await StreamMessages.EndAsync(socket, new StreamStatus { ExitCode = await process.ExitCodeAsync(ct) }, ct);
            if (await Task.WhenAny(input, Task.Delay(CloseWait, ct)) != input) await abort.CancelAsync();
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException)
        {
            // the caller left: there is nobody to tell
            await abort.CancelAsync();
        }
        await input;
    }

    private static ReadOnlyMemory<byte> Frame(byte stream, byte[] data, int count)
    {
        var frame = new byte[count + 1];
        frame[0] = stream;
        Array.Copy(data, 0, frame, 1, count);
        return frame;
    }

    private static async Task ForwardInputAsync(WebSocket socket, IExecProcess process, CancellationToken ct)
    {
        var buffer = new byte[StreamMessages.MaxMessageBytes];
        try
        {
            while (await StreamMessages.ReceiveAsync(socket, buffer, ct) is { } message)
            {
                if (message.Type == WebSocketMessageType.Binary) await process.WriteStdinAsync(message.Bytes, ct);
                else if (StreamMessages.ReadJson<StreamControl>(message.Bytes) is { } control)
                {
                    if (control.Resize is { Width: > 0, Height: > 0 } size) await process.ResizeAsync(size.Width, size.Height, ct);
                    if (control.CloseStdin) process.CloseStdin();
                }
            }
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException)
        {
            // the caller left, or the process ended: the output side says which
        }
    }
}
