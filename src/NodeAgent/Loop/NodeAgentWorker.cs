using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchestrator.NodeAgent.Loop;

/// <summary>Runs the <see cref="Agent"/> for the life of the host.</summary>
public sealed class NodeAgentWorker(Agent agent, ILogger<NodeAgentWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        log.LogInformation("agent session {Session} (version {Version}) starting", agent.Session.Id, agent.Session.Version);
        await agent.RunAsync(stoppingToken);
    }
}
