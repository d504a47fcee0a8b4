using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;

namespace Orchestrator.NodeAgent.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class ReplicaMountsTests
{
    private static Replica Replica(int slot) => new()
    {
        Id = "r1", Namespace = "shop", Service = "kv", Slot = slot,
        Container = new ContainerSpec
        {
            Image = "local/busybox:1",
            Volumes =
            [
                new VolumeSpec { Name = "data", Persistent = new() },
                new VolumeSpec { Name = "cache", Shared = new() },
                new VolumeSpec { Name = "scratch", EmptyDir = new() },
                new VolumeSpec { Name = "fast", EmptyDir = new() { Medium = EmptyDirVolumeSource.MemoryMedium } },
            ],
            VolumeMounts =
            [
                new VolumeMount { Name = "data", MountPath = "/data" },
                new VolumeMount { Name = "cache", MountPath = "/cache", ReadOnly = true },
                new VolumeMount { Name = "scratch", MountPath = "/scratch" },
                new VolumeMount { Name = "fast", MountPath = "/fast" },
                new VolumeMount { Name = "gone", MountPath = "/gone" },
            ],
        },
    };

    [Fact]
    public void Each_kind_becomes_its_engine_mount()
    {
        var mounts = ReplicaMounts.For(Replica(slot: 2), "c1", "n1", []);

        Assert.Equal(
            ["volume orc.shop.kv.data.2 /data rw", "volume orc.shop.kv.cache.shared /cache ro", "volume - /scratch rw", "tmpfs - /fast rw"],
            mounts.Select(m => $"{m.Type} {m.Source ?? "-"} {m.Target} {(m.ReadOnly == true ? "ro" : "rw")}"));
    }

    [Fact]
    public void Named_volumes_carry_the_labels_the_agent_lists_and_removes_them_by()
    {
        var mounts = ReplicaMounts.For(Replica(slot: 3), "c1", "n1", []);

        var data = mounts[0].VolumeOptions.Labels;
        Assert.Equal(("true", "c1", "shop", "kv", "data", "persistent", "3", "n1"),
            (data[ContainerLabels.Managed], data[ContainerLabels.Cluster], data[ContainerLabels.Namespace], data[ContainerLabels.Service],
             data[ContainerLabels.Volume], data[ContainerLabels.VolumeKind], data[ContainerLabels.Slot], data[ContainerLabels.Node]));
        Assert.False(mounts[1].VolumeOptions.Labels.ContainsKey(ContainerLabels.Slot));
        Assert.Equal("shared", mounts[1].VolumeOptions.Labels[ContainerLabels.VolumeKind]);
    }

    [Fact]
    public void Secret_and_config_volumes_are_the_bound_data_files_beside_the_other_kinds()
    {
        var replica = Replica(slot: 1);
        replica = replica with
        {
            Container = replica.Container with
            {
                Volumes = [.. replica.Container.Volumes!, new VolumeSpec { Name = "creds", Secret = new() { SecretName = "db" } },
                    new VolumeSpec { Name = "conf", Config = new() { Name = "app" } }],
                VolumeMounts = [.. replica.Container.VolumeMounts!, new VolumeMount { Name = "conf", MountPath = "/etc/app" }],
            },
        };
        BindMount[] files = [new("/dev/shm/orc/r1/conf", "/etc/app", true), new("/dev/shm/orc/r1/creds", "/run/secrets/db", true)];

        var mounts = ReplicaMounts.For(replica, "c1", "n1", files);

        // The config's mount is not made a volume of its own: it is the agent's folder of files, like the secret's default path.
        Assert.Equal(
            ["volume orc.shop.kv.data.1 /data rw", "volume orc.shop.kv.cache.shared /cache ro", "volume - /scratch rw", "tmpfs - /fast rw",
             "bind /dev/shm/orc/r1/conf /etc/app ro", "bind /dev/shm/orc/r1/creds /run/secrets/db ro"],
            mounts.Select(m => $"{m.Type} {m.Source ?? "-"} {m.Target} {(m.ReadOnly == true ? "ro" : "rw")}"));
    }

    [Fact]
    public void A_replica_without_mounts_gets_none()
    {
        Assert.Empty(ReplicaMounts.For(new Replica { Container = new ContainerSpec { Image = "x" } }, "c1", "n1", []));
    }
}
