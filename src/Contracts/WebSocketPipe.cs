using System.Net.WebSockets;

namespace Orchestrator.Contracts;

/// <summary>
/// A port-forward's bytes between a TCP connection and a WebSocket of the <see cref="ReplicaStreams"/> protocol: the
/// agent's end (socket to the container's port) and orc's end (socket to the local program) are this same pipe.
/// Each direction ends on its own (a half close), so a client that sends its request and shuts its side still gets the answer.
/// </summary>
public static class WebSocketPipe
{
    /// <param name="status">Told each status the other side sends (an error, at most once).</param>
    public static async Task PipeAsync(WebSocket socket, Stream connection, Action<StreamStatus> status, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var outgoing = Task.Run(async () =>
        {
            var buffer = new byte[32 * 1024];
            try
            {
                int read;
                while ((read = await connection.ReadAsync(buffer, stop.Token)) > 0)
                    await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, true, stop.Token);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, stop.Token);
            }
            catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                await stop.CancelAsync();
            }
        }, CancellationToken.None);
        var incoming = Task.Run(async () =>
        {
            var buffer = new byte[32 * 1024];
            try
            {
                while (await StreamMessages.ReceiveAsync(socket, buffer, stop.Token) is { } message)
                {
                    if (message.Type == WebSocketMessageType.Binary) await connection.WriteAsync(message.Bytes, stop.Token);
                    else if (StreamMessages.ReadJson<StreamStatus>(message.Bytes) is { } said) status(said);
                }
                await HalfCloseAsync(connection);
            }
            catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                await stop.CancelAsync();
            }
        }, CancellationToken.None);
        await Task.WhenAll(outgoing, incoming);
    }

    /// <summary>The other side will send nothing more: say so to the TCP peer, which may still answer.</summary>
    private static async Task HalfCloseAsync(Stream connection)
    {
        await connection.FlushAsync();
        if (connection is System.Net.Sockets.NetworkStream network) network.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        else connection.Close();
    }
}
