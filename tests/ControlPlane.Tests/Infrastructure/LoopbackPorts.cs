using System.Net;
using System.Net.Sockets;

namespace Orchestrator.ControlPlane.Tests.Infrastructure;

/// <summary>Loopback TCP ports nobody listens on right now, for servers started by tests.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A port the OS just handed out and released. Another process could still take it before the
    /// caller binds it, which is why <see cref="EtcdServer"/> retries its start.
    /// </summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
