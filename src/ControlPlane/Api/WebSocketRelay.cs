using System.Net.WebSockets;

namespace Orchestrator.ControlPlane.Api;

/// <summary>
/// The control plane's part of exec and port-forward: every message from orc's socket to the agent's and back, as it
/// comes (type and boundaries kept), and a close on one side passed on to the other. It reads nothing of the content.
/// </summary>
public static class WebSocketRelay
{
    public static async Task RelayAsync(WebSocket client, WebSocket agent, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.WhenAll(CopyAsync(client, agent, stop), CopyAsync(agent, client, stop));
    }

    private static async Task CopyAsync(WebSocket from, WebSocket to, CancellationTokenSource stop)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            while (true)
            {
                var part = await from.ReceiveAsync(buffer, stop.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.CloseStatusDescription, stop.Token);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, part.Count), part.MessageType, part.EndOfMessage, stop.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // One side broke off: the other has nothing more coming either.
            await stop.CancelAsync();
        }
    }
}
