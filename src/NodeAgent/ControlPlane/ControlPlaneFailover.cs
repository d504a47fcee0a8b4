using Microsoft.Extensions.Logging;
using System.Net;

namespace Orchestrator.NodeAgent.ControlPlane;

/// <summary>
/// The control planes an agent may talk to, in the order given, and the one in use. The agent turns to the next
/// when the one in use cannot be reached, does not answer in time, or says it is stopping (503).
/// </summary>
public sealed class ControlPlaneAddresses(IReadOnlyList<Uri> controlPlanes, ILogger<ControlPlaneAddresses> log)
{
    private int _current;

    public IReadOnlyList<Uri> All => controlPlanes;
    public int CurrentIndex => Volatile.Read(ref _current);
    public Uri Current => controlPlanes[CurrentIndex];

    /// <summary>Only the first of several calls failing on the same control plane moves on, so none is skipped.</summary>
    public void MoveOn(int from, string why)
    {
        if (controlPlanes.Count < 2) return;
        var next = (from + 1) % controlPlanes.Count;
        if (Interlocked.CompareExchange(ref _current, next, from) == from)
            log.LogWarning("control plane {From}: {Why}; turning to {Next}", controlPlanes[from], why, controlPlanes[next]);
    }
}

/// <summary>
/// Sends every call to the control plane in use (<see cref="ControlPlaneAddresses"/>) and moves on after a failure.
/// Nothing is retried here: the caller's own retry (the next heartbeat, the stream's reconnect) reaches the next one.
/// </summary>
public sealed class ControlPlaneFailover(ControlPlaneAddresses addresses) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var index = addresses.CurrentIndex;
        request.RequestUri = new Uri(addresses.All[index], request.RequestUri!.PathAndQuery.TrimStart('/'));
        try
        {
            var response = await base.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) addresses.MoveOn(index, "it is stopping or not ready (503)");
            return response;
        }
        catch (HttpRequestException e)
        {
            addresses.MoveOn(index, e.GetBaseException().Message);
            throw;
        }
        catch (OperationCanceledException)
        {
            // The call's own timeout (or the agent stopping): a control plane that does not answer is left for the next.
            addresses.MoveOn(index, "no answer in time");
            throw;
        }
    }
}
