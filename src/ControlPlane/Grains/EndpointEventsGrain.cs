using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Network;
using Orchestrator.ControlPlane.Storage;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>
/// Records EndpointReady / EndpointRemoved events (<see cref="EndpointChanges"/>) in the services' event lists. One
/// activation per cluster, however many control planes observe; a new activation (a failover) takes its first
/// observation as the baseline and records nothing for it.
/// </summary>
public sealed class EndpointEventsGrain(EventRecorder events) : Grain, IEndpointEventsGrain
{
    private long _revision;
    private List<ServiceEndpoints>? _last;

    public async Task Observe(long revision, List<ServiceEndpoints> services)
    {
        if (revision <= _revision) return;
        var before = _last;
        (_revision, _last) = (revision, services);
        if (before is null) return;
        foreach (var c in EndpointChanges.Between(before, services))
            await events.ServiceEventAsync(c.Namespace, c.Service, c.Reason, c.Message, c.Warning);
    }
}
