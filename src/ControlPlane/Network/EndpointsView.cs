using Orchestrator.Contracts;

namespace Orchestrator.ControlPlane.Network;

/// <summary>
/// The endpoints of every service, derived from what the control plane knows (kube-controller-manager's endpoints
/// controller, as a pure function): a replica serves when it is not terminating, its node is not Down, and its agent
/// reported it running and ready with an IP. A terminating replica leaves at once, before its agent sends the stop
/// signal (the agent waits <c>--endpoint-drain</c> first), so that no new connection is balanced to it.
/// </summary>
public static class EndpointsView
{
    public const string NotReady = "not ready";
    public const string Terminating = "terminating";
    public const string NodeDown = "node down";
    public const string NoIp = "no IP on the cluster network";

    public static List<ServiceEndpoints> Of(IReadOnlyList<ServiceObject> services, IReadOnlyList<Replica> replicas,
        IReadOnlyList<ReplicaStatus> statuses, IReadOnlyList<NodeInfo> nodes, IReadOnlyList<ServiceIpClaim> claims)
    {
        var status = statuses.GroupBy(s => s.ReplicaId).ToDictionary(g => g.Key, g => g.First());
        var nodeStates = nodes.ToDictionary(n => n.Name, n => n.State);
        var vips = claims.GroupBy(c => (c.Namespace, c.Name)).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Ip, StringComparer.Ordinal).First().Ip);
        var byService = replicas.ToLookup(r => (r.Namespace, r.Service));
        var result = new List<ServiceEndpoints>();
        foreach (var service in services.OrderBy(s => s.Metadata.Namespace, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            var key = (service.Metadata.Namespace, service.Metadata.Name);
            var ready = new List<EndpointAddress>();
            var notReady = new List<EndpointAddress>();
            foreach (var r in byService[key].OrderBy(r => r.Slot).ThenBy(r => r.Id, StringComparer.Ordinal))
            {
                var s = status.GetValueOrDefault(r.Id);
                var address = new EndpointAddress { ReplicaId = r.Id, Node = r.Node, Ip = s?.Ip ?? "" };
                var why = r.Terminating ? Terminating
                    : nodeStates.GetValueOrDefault(r.Node, NodeState.Down) == NodeState.Down ? NodeDown
                    : s is not { State: ReplicaState.Running, Ready: true } ? NotReady
                    : string.IsNullOrEmpty(s.Ip) ? NoIp
                    : null;
                if (why is null) ready.Add(address);
                else notReady.Add(address with { NotServing = why });
            }
            result.Add(new ServiceEndpoints
            {
                Namespace = service.Metadata.Namespace,
                Name = service.Metadata.Name,
                VirtualIp = vips.GetValueOrDefault(key) ?? "",
                Ports = service.Spec.Ports.ToList(),
                Ready = ready,
                NotReady = notReady,
            });
        }
        return result;
    }
}
