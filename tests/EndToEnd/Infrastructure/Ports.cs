using System.Net;
using System.Net.Sockets;

namespace Orchestrator.EndToEnd.Infrastructure;

public static class Ports
{
    // Below the kernel's ephemeral range (ip_local_port_range, 32768-60999 by default), from which every outgoing
    // connection and the engine's own published ports take theirs: a port handed out here and bound a few seconds later
    // by a process still starting cannot have been taken meanwhile by one of the suite's many connections (a CI run
    // lost a whole fixture to that: its agent could not bind and never registered). Below 30000 also keeps clear of
    // the NodePort range (30000-32767) that manifests name.
    private const int First = 20000, Last = 29999;
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A port free on every address a moment ago, never handed out before in this run, outside the ephemeral range.</summary>
    public static int Free()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(First, Last + 1);
                if (HandedOut.Contains(port) || !CanBind(port)) continue;
                HandedOut.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"no free port between {First} and {Last} after 1000 tries");
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Any, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
