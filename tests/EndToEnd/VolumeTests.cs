using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>
/// spec.volumes on a real engine (docs/volumes.md): a persistent volume per slot survives a `docker rm -f` and a scale
/// 3 -> 1 -> 3; a shared volume is one per node for the service's replicas; emptyDir Memory is a tmpfs; `orc get volumes`
/// and `orc volume rm` (refused while in use); deleting the service keeps Retain volumes and removes Delete ones.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class VolumeTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private const string Notes = """
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: notes}
        spec:
          image: local/busybox:1
          command: ["sleep", "3600"]
          replicas: 3
          resources: {memory: 16Mi}
          stopGracePeriod: 1s
          volumes:
            - {name: data, persistent: {}}
            - {name: logs, persistent: {reclaimPolicy: Delete}}
            - {name: cache, shared: {reclaimPolicy: Delete}}
            - {name: scratch, emptyDir: {medium: Memory}}
          volumeMounts:
            - {name: data, mountPath: /data}
            - {name: logs, mountPath: /logs}
            - {name: cache, mountPath: /shared}
            - {name: scratch, mountPath: /scratch}
        """;

    [Fact]
    public async Task A_slot_keeps_its_data_across_replacement_and_scale_and_deletion_honours_the_reclaim_policy()
    {
        Assert.Equal(0, (await cluster.Orc("apply", "-f", cluster.Manifest("notes.yaml", Notes))).ExitCode);
        var slots = await RunningSlotsAsync(3);
        foreach (var (slot, id) in slots)
        {
            await ExecAsync(id, $"echo slot-{slot} > /data/who && echo log-{slot} > /logs/who && touch /shared/from-{slot}");
        }

        // shared: the three replicas on this one node see each other's files.
        Assert.Equal("from-1 from-2 from-3", (await ExecAsync(slots[1], "ls /shared | tr '\\n' ' '")).Trim());
        // emptyDir with medium Memory: a tmpfs, never the node's disk.
        Assert.Contains(" /scratch tmpfs ", await ExecAsync(slots[1], "cat /proc/mounts"));

        // docker rm -f: the replacement of slot 2 reads slot 2's data.
        Assert.Equal(0, (await cluster.Docker.RemoveForceAsync(slots[2])).ExitCode);
        await Wait.UntilAsync(async () => (await RunningSlotsAsync(3, wait: false)) is { } now && now.Count == 3 && now[2] != slots[2],
            Deadline, "slot 2 to be replaced");
        slots = await RunningSlotsAsync(3);
        Assert.Equal("slot-2", (await ExecAsync(slots[2], "cat /data/who")).Trim());

        // 3 -> 1 -> 3: slots 2 and 3 come back to their own data.
        Assert.Equal(0, (await cluster.Orc("scale", "service", "notes", "--replicas", "1")).ExitCode);
        await Wait.UntilAsync(async () => (await cluster.RunningContainersAsync("default/notes")).Count == 1, Deadline, "notes at 1");
        Assert.Contains("orc.default.notes.data.3", await cluster.Docker.ClusterVolumesAsync(cluster.RunId));
        Assert.Equal(0, (await cluster.Orc("scale", "service", "notes", "--replicas", "3")).ExitCode);
        slots = await RunningSlotsAsync(3);
        Assert.Equal("slot-2 log-2", (await ExecAsync(slots[2], "echo $(cat /data/who /logs/who)")).Trim());
        Assert.Equal("slot-3 log-3", (await ExecAsync(slots[3], "echo $(cat /data/who /logs/who)")).Trim());

        // orc get volumes: name, service, slot, node, size, in use by (the agents' report).
        var list = await cluster.Orc("get", "volumes");
        Assert.Equal(0, list.ExitCode);
        var row = list.Stdout.Split('\n').Single(l => l.StartsWith("orc.default.notes.data.2 ", StringComparison.Ordinal));
        Assert.Matches($@"^orc\.default\.notes\.data\.2\s+default\s+notes\s+persistent\s+2\s+{cluster.NodeName}\s+\d+ bytes\s+notes\.2\.", row);
        Assert.Contains(list.Stdout.Split('\n'), l => l.StartsWith("orc.default.notes.cache.shared ", StringComparison.Ordinal) && l.Contains("notes.1.") && l.Contains("notes.3."));
        var inUse = await cluster.Orc("volume", "rm", "orc.default.notes.data.2");
        Assert.NotEqual(0, inUse.ExitCode);
        Assert.Contains("volume orc.default.notes.data.2 is in use by notes.2.", inUse.Stderr);

        // Delete: the Retain volumes stay on the node, the Delete ones go with the service.
        Assert.Equal(0, (await cluster.Orc("delete", "service", "notes")).ExitCode);
        string[] retained = ["orc.default.notes.data.1", "orc.default.notes.data.2", "orc.default.notes.data.3"];
        await Wait.UntilAsync(async () => (await cluster.Docker.ClusterVolumesAsync(cluster.RunId)).SequenceEqual(retained),
            Deadline, "only the Retain volumes to be left: " + string.Join(", ", await cluster.Docker.ClusterVolumesAsync(cluster.RunId)));

        // A retained volume is listed, no longer in use, and an admin may remove it.
        var rm = await cluster.Orc("volume", "rm", "orc.default.notes.data.3");
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.Contains($"volume orc.default.notes.data.3 removed from {cluster.NodeName}", rm.Stdout);
        Assert.Equal(["orc.default.notes.data.1", "orc.default.notes.data.2"], await cluster.Docker.ClusterVolumesAsync(cluster.RunId));
    }

    private async Task<string> ExecAsync(string id, string script)
    {
        var result = await cluster.Docker.ExecAsync(id, "sh", "-c", script);
        Assert.True(result.ExitCode == 0, $"{script}: {result}");
        return result.Stdout;
    }

    /// <summary>Slot -> container id of the running replicas (names are SERVICE.SLOT.ID); waits for <paramref name="count"/> unless told not to.</summary>
    private async Task<Dictionary<int, string>> RunningSlotsAsync(int count, bool wait = true)
    {
        Dictionary<int, string> slots = [];
        async Task<bool> Read()
        {
            var running = await cluster.RunningContainersAsync("default/notes");
            slots = running.GroupBy(c => int.Parse(c.Name.Split('.')[1])).ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.StartedAt).First().Id);
            return slots.Count == count;
        }
        if (wait) await Wait.UntilAsync(Read, Deadline, $"{count} notes replicas to run");
        else await Read();
        return slots;
    }
}
