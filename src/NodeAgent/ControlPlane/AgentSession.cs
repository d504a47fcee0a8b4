using System.Reflection;

namespace Orchestrator.NodeAgent.ControlPlane;

/// <summary>One run of the agent: a fresh id per process tells the control plane the agent restarted.</summary>
public sealed record AgentSession(string Id, string Version)
{
    public static AgentSession New() => new(
        Guid.NewGuid().ToString("N"),
        typeof(AgentSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");
}
