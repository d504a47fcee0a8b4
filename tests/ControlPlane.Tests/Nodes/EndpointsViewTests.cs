using Orchestrator.Contracts;
using Orchestrator.ControlPlane.Network;

namespace Orchestrator.ControlPlane.Tests.Nodes;

/// <summary>Which replicas a service's virtual IP balances to (docs/networking.md): ready, not terminating, on a node not Down.</summary>
public sealed class EndpointsViewTests
{
    private static readonly ServiceObject Web = new()
    {
        Metadata = new ObjectMeta { Name = "web" },
        Spec = new ServiceSpec { Image = "local/web:1", Ports = [new PortSpec { ContainerPort = 8080, PublishedPort = 30080 }] },
    };

    private static Replica R(string id, string node, bool terminating = false) =>
        new() { Id = id, Service = "web", Node = node, Slot = 1, Terminating = terminating };

    private static ReplicaStatus S(string id, string ip, bool ready = true, ReplicaState state = ReplicaState.Running) =>
        new() { ReplicaId = id, Service = "web", State = state, Ready = ready, Ip = ip };

    public static TheoryData<string, Replica, ReplicaStatus?, string?> Cases => new()
    {
        { "running and ready", R("r1", "h1"), S("r1", "10.240.0.2"), null },
        { "failing readiness", R("r1", "h1"), S("r1", "10.240.0.2", ready: false), EndpointsView.NotReady },
        { "not reported yet", R("r1", "h1"), null, EndpointsView.NotReady },
        { "exited", R("r1", "h1"), S("r1", "10.240.0.2", state: ReplicaState.Exited), EndpointsView.NotReady },
        { "terminating, still reported ready: leaves before its stop signal", R("r1", "h1", terminating: true), S("r1", "10.240.0.2"), EndpointsView.Terminating },
        { "on a Down node, last reported ready", R("r1", "h3"), S("r1", "10.240.2.2"), EndpointsView.NodeDown },
        { "on a node no longer registered", R("r1", "gone"), S("r1", "10.240.2.2"), EndpointsView.NodeDown },
        { "ready without an IP (no cluster network)", R("r1", "h1"), S("r1", ""), EndpointsView.NoIp },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_replica_serves_only_when_ready_not_terminating_and_on_a_live_node(string name, Replica replica, ReplicaStatus? status, string? notServing)
    {
        var nodes = new List<NodeInfo> { new() { Name = "h1", State = NodeState.Ready }, new() { Name = "h3", State = NodeState.Down } };
        var view = EndpointsView.Of([Web], [replica], status is null ? [] : [status], nodes, [new ServiceIpClaim("default", "web", "10.241.0.1")]).Single();

        Assert.Equal("10.241.0.1", view.VirtualIp);
        Assert.Equal(30080, view.Ports.Single().PublishedPort);
        if (notServing is null)
        {
            Assert.True(view.Ready.Single().Ip == status!.Ip && view.NotReady.Count == 0, name);
        }
        else
        {
            Assert.True(view.Ready.Count == 0, name);
            Assert.Equal(notServing, view.NotReady.Single().NotServing);
        }
    }

    [Fact]
    public void A_service_without_a_claim_has_no_virtual_ip_yet_and_another_services_claim_is_not_its()
    {
        var view = EndpointsView.Of([Web], [], [], [], [new ServiceIpClaim("other", "web", "10.241.0.9")]).Single();
        Assert.Equal("", view.VirtualIp);
    }
}
