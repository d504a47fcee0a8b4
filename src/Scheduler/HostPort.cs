using Orchestrator.Contracts;

namespace Orchestrator.Scheduler;

/// <summary>A port bound on the node itself. Protocol is part of the identity: 53/udp and 53/tcp do not collide.</summary>
public readonly record struct HostPort(int Port, string Protocol)
{
    /// <summary>Protocol lower-cased and defaulted to tcp, as the engine treats "TCP" and "" the same way.</summary>
    public static HostPort Of(int port, string? protocol) =>
        new(port, string.IsNullOrEmpty(protocol) ? "tcp" : protocol.ToLowerInvariant());

    /// <summary>
    /// The fixed host port a container port binds, if any. No host port, or 0, lets the engine pick a
    /// free one (Nomad's dynamic port), which can never collide and so is not tracked.
    /// </summary>
    public static bool TryFrom(PortSpec spec, out HostPort port)
    {
        port = spec.HostPort is int p && p > 0 ? Of(p, spec.Protocol) : default;
        return port.Port > 0;
    }

    public override string ToString() => $"{Port}/{Protocol}";
}
