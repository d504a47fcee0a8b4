using System.Net.WebSockets;
using System.Text;

namespace Orchestrator.Contracts;

/// <summary>Whole messages of the <see cref="ReplicaStreams"/> protocol on a WebSocket, for the agent, the control plane and orc.</summary>
public static class StreamMessages
{
    /// <summary>The longest message any side sends; a text message longer than this is refused.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    public static Task SendJsonAsync<T>(WebSocket socket, T message, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(Json.Serialize(message)), WebSocketMessageType.Text, true, ct);

    /// <summary>Sends the status, then closes the socket (politely: the other side's close is not awaited for long).</summary>
    public static async Task EndAsync(WebSocket socket, StreamStatus status, CancellationToken ct)
    {
        if (socket.State != WebSocketState.Open && socket.State != WebSocketState.CloseReceived) return;
        try
        {
            await SendJsonAsync(socket, status, ct);
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            closing.CancelAfter(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closing.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // the other side is gone: there is nobody left to tell
        }
    }

    /// <summary>
    /// The next whole message: its type and bytes (a binary message longer than the buffer comes in parts, each returned
    /// as it is read, since bytes need no reassembly); null at the other side's close.
    /// </summary>
    public static async Task<(WebSocketMessageType Type, ArraySegment<byte> Bytes)?> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken ct)
    {
        var count = 0;
        while (true)
        {
            var part = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), ct);
            if (part.MessageType == WebSocketMessageType.Close) return null;
            count += part.Count;
            if (part.EndOfMessage || (part.MessageType == WebSocketMessageType.Binary && count == buffer.Length))
                return (part.MessageType, new ArraySegment<byte>(buffer, 0, count));
            if (count == buffer.Length) throw new WebSocketException($"a text message longer than {buffer.Length} bytes");
        }
    }

    /// <summary>A text message as <typeparamref name="T"/>; null when it is not one.</summary>
    public static T? ReadJson<T>(ArraySegment<byte> bytes) where T : class
    {
        try { return Json.Deserialize<T>(Encoding.UTF8.GetString(bytes)); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
