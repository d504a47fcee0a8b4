using Docker.DotNet.Models;
using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Network;

namespace Orchestrator.NodeAgent.Runtime;

/// <summary>The cluster network's Docker bridge (docs/networking.md): a user-defined bridge network on the node's subnet.</summary>
public sealed partial class DockerRuntime : IClusterBridge
{
    public async Task EnsureBridgeAsync(NetworkPlan plan, CancellationToken ct)
    {
        var existing = (await _client.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [plan.NetworkName] = true } },
        }, ct)).FirstOrDefault(n => n.Name == plan.NetworkName);
        if (existing is not null)
        {
            if (existing.IPAM?.Config?.Any(c => c.Subnet == plan.Subnet.ToString()) == true) return;
            // The node holds another subnet now (it was removed and joined again): the old bridge cannot be kept.
            await _client.Networks.DeleteNetworkAsync(existing.ID, ct);
        }
        await _client.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = plan.NetworkName,
            Driver = "bridge",
            IPAM = new IPAM { Config = [new IPAMConfig { Subnet = plan.Subnet.ToString(), Gateway = plan.Gateway }] },
            Options = new Dictionary<string, string> { ["com.docker.network.bridge.name"] = plan.BridgeName },
            Labels = new Dictionary<string, string> { [ContainerLabels.Managed] = "true", [ContainerLabels.Cluster] = _cluster },
        }, ct);
    }
}
