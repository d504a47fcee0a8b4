using System.Diagnostics.Metrics;
using Orchestrator.NodeAgent.Loop;
using Orchestrator.NodeAgent.Reconcile;

namespace Orchestrator.NodeAgent.Hosting;

/// <summary>
/// Gauges read from the agent's last look at the engine (each reconcile pass lists the containers), so a scrape
/// never calls Docker. The meter comes from the host's factory and goes away with it.
/// </summary>
public sealed class AgentGauges
{
    public AgentGauges(Agent agent, IMeterFactory meters)
    {
        var meter = meters.Create(AgentInstruments.Name);
        meter.CreateObservableGauge("orchestrator.agent.containers.running", () => AgentInstruments.RunningByService(agent.Observed),
            "{container}", "containers of this agent's cluster running on its engine, as of the last reconcile pass");
        // Only with the cluster network: no measurement at all otherwise.
        meter.CreateObservableGauge("orchestrator.agent.network.sync.last", () => agent.NetworkLastSync is { } t
                ? [new Measurement<double>(t.ToUnixTimeMilliseconds() / 1000.0)] : Array.Empty<Measurement<double>>(),
            "s", "when the host's routes, balancing rules and DNS were last brought in line (Unix time)");
    }
}
