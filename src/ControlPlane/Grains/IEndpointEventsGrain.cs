using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Grains;

/// <summary>One per cluster (key 0): turns the endpoints every control plane sees into endpoint events, each once.</summary>
public interface IEndpointEventsGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The endpoints as of cache revision <paramref name="revision"/>; an older or equal revision than the last one observed
    /// (another control plane's view of the same change) is ignored.
    /// </summary>
    Task Observe(long revision, List<ServiceEndpoints> services);
}
