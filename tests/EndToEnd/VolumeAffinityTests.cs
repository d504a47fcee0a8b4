using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// Local-volume affinity on three hosts: the node holding slot 2's persistent volume dies, and slot 2 waits, Pending with
/// the reason, rather than start empty elsewhere; when the host is back slot 2 runs there again with its data.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(MultiHostCollection.Name)]
public sealed class VolumeAffinityTests(MultiHostCluster cluster)
{
    private const string Vault = """
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: vault}
        spec:
          image: local/busybox:1
          command: ["sleep", "3600"]
          replicas: 3
          resources: {memory: 16Mi}
          stopGracePeriod: 1s
          placement: {maxPerNode: 1}
          volumes: [{name: data, persistent: {reclaimPolicy: Delete}}]
          volumeMounts: [{name: data, mountPath: /data}]
        """;

    [Fact]
    public async Task A_slot_waits_for_the_node_that_holds_its_volume_and_runs_there_again_with_its_data()
    {
        await Wait.UntilAsync(async () => (await cluster.TryGetAsync<List<NodeInfo>>("/api/v1/nodes")) is { } nodes
            && nodes.Count == cluster.Hosts.Count && nodes.All(n => n.State == NodeState.Ready && !n.Cordoned), TimeSpan.FromSeconds(60), "every node Ready");
        Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("vault.yaml", Vault))).ExitCode);
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "vault") == 3, TimeSpan.FromSeconds(30), "3 vault replicas");
        var slot2 = (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=vault"))!.Single(r => r.Replica.Slot == 2).Replica;
        var holder = cluster.Host(slot2.Node);
        var container = (await cluster.ContainersOnHostAsync(holder, "default", "vault")).Single();
        Assert.Equal(0, (await holder.Docker.ExecAsync(container.Id, "sh", "-c", "echo slot-2-data > /data/who")).ExitCode);

        try
        {
            await cluster.KillHostAsync(holder);
            var reason = $"volume data of slot 2 is on node {holder.Name}, which is Down";
            ServiceDetail? detail = null;
            await Wait.UntilAsync(async () => (detail = await cluster.TryGetAsync<ServiceDetail>("/api/v1/namespaces/default/services/vault"))?.Status.PendingReason == reason,
                TimeSpan.FromSeconds(40), $"slot 2 Pending with \"{reason}\" (last: {detail?.Status.PendingReason})");
            Assert.Equal(1, detail!.Status.Pending);
            // Nothing of slot 2 started elsewhere: the survivors still run exactly their own slots.
            Assert.Equal(2, await cluster.CountRunningAsync("default", "vault"));
            var describe = await cluster.Orc("describe", "service", "vault");
            Assert.Contains(reason, describe.Stdout);
            // Its volume is still listed, from its record, on the node that does not answer.
            var volumes = await cluster.Orc("get", "volumes");
            Assert.Contains(volumes.Stdout.Split('\n'), l => l.StartsWith("orc.default.vault.data.2 ", StringComparison.Ordinal) && l.Contains(holder.Name) && l.Contains("node not answering"));
        }
        finally
        {
            await cluster.StartAgentAsync(holder);
        }

        // The host is back: slot 2 runs there again, on its old data.
        ContainerInfo? back = null;
        await Wait.UntilAsync(async () => (back = (await cluster.ContainersOnHostAsync(holder, "default", "vault")).SingleOrDefault()) is not null,
            TimeSpan.FromSeconds(40), $"slot 2 to run on {holder.Name} again");
        Assert.StartsWith("vault.2.", back!.Name);
        var read = await holder.Docker.ExecAsync(back.Id, "cat", "/data/who");
        Assert.Equal("slot-2-data", read.Stdout.Trim());
        await Wait.UntilAsync(async () => await cluster.CountRunningAsync("default", "vault") == 3, TimeSpan.FromSeconds(30), "3 vault replicas again");

        // reclaimPolicy Delete: the volumes go from every host with the service.
        Assert.Equal(0, (await cluster.Orc("delete", "service", "vault")).ExitCode);
        foreach (var host in cluster.Hosts)
            await Wait.UntilAsync(async () => (await host.Docker.ClusterVolumesAsync(cluster.RunId)).Count == 0, TimeSpan.FromSeconds(30), $"no vault volume left on {host.Name}");
    }
}
