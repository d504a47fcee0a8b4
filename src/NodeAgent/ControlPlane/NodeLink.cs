using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;

namespace Orchestrator.NodeAgent.ControlPlane;

/// <summary>
/// Registers the node and heartbeats every interval; registers again when the control plane answers 404
/// (it lost or expired the node) and keeps trying, quietly, while it is unreachable. The host ports other programs hold
/// (<paramref name="portsInUse"/>) go with the registration, and with a heartbeat when they changed since the last one accepted.
/// </summary>
public sealed class NodeLink(
    ControlPlaneClient client, NodeRegistration registration, AssignmentSet assignments, TimeSpan interval, TimeProvider time, ILogger<NodeLink> log,
    Func<List<ListeningPort>>? portsInUse = null)
{
    private List<ListeningPort>? _portsSent;
    private TimeSpan _registerBackoff;

    public async Task RunAsync(CancellationToken ct)
    {
        var registered = false;
        var reachable = true;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                var ports = portsInUse?.Invoke();
                if (!registered)
                {
                    var info = await client.RegisterAsync(registration with { PortsInUse = ports }, ct);
                    _portsSent = ports;
                    log.LogInformation("registered node {Node} (session {Session}, address {Address})", info.Name, registration.AgentSession, registration.Address);
                    registered = true;
                    _registerBackoff = TimeSpan.Zero;
                }
                else if (!await client.HeartbeatAsync(new NodeHeartbeat
                         {
                             AgentSession = registration.AgentSession,
                             ObservedRevision = assignments.AppliedRevision,
                             PortsInUse = Changed(ports) ? ports : null,
                         }, ct))
                {
                    log.LogInformation("control plane does not know this node; registering again");
                    registered = false;
                    continue;
                }
                else _portsSent = ports;
                if (!reachable) log.LogInformation("control plane reachable again");
                reachable = true;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e) when (e.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            {
                // Not an outage: this node has no valid credential (never joined, revoked by orc node rm, or a wrong name).
                if (reachable) log.LogError("the control plane refuses this node ({Message}); start the agent with --join-token from "
                    + "`orc node join-token` (a revoked credential: remove it from --state-dir first); containers keep running", e.Message);
                reachable = false;
                if (!registered) await BackOffAsync(ct);
            }
            catch (Exception e)
            {
                // Logged once per outage: a heartbeat a second would otherwise flood the log.
                if (reachable) log.LogWarning("control plane unreachable ({Message}); containers keep running", e.GetBaseException().Message);
                reachable = false;
                if (!registered) await BackOffAsync(ct);
            }
        } while (await WaitAsync(timer, ct));
    }

    /// <summary>After a failed registration: waits what <see cref="RegistrationBackoff"/> says beyond the timer's own interval.</summary>
    private async Task BackOffAsync(CancellationToken ct)
    {
        _registerBackoff = RegistrationBackoff.Next(_registerBackoff, interval);
        var beyond = RegistrationBackoff.Jittered(_registerBackoff, Random.Shared.NextDouble()) - interval;
        if (beyond <= TimeSpan.Zero) return;
        try { await Task.Delay(beyond, time, ct); }
        catch (OperationCanceledException) { }
    }

    private bool Changed(List<ListeningPort>? ports) => ports is not null && (_portsSent is null || !ports.SequenceEqual(_portsSent));

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }
}
