using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>spec.volumes and spec.volumeMounts: read, refused with reasons at file:line:column, written back, hashed.</summary>
[Trait("Category", "Unit")]
public class VolumeManifestTests
{
    private static readonly string Full = WithSpec(
        "  volumes:",
        "    - {name: data, persistent: {}}",
        "    - {name: logs, persistent: {reclaimPolicy: Delete}}",
        "    - {name: cache, shared: {reclaimPolicy: Retain}}",
        "    - {name: scratch, emptyDir: {}}",
        "    - {name: fast, emptyDir: {medium: Memory}}",
        "  volumeMounts:",
        "    - {name: data, mountPath: /data}",
        "    - {name: cache, mountPath: /cache/, readOnly: true}",
        "    - {name: fast, mountPath: /tmp/fast}");

    [Fact]
    public void Every_kind_and_mount_is_read()
    {
        var result = Load(Full);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var spec = result.Services[0].Spec;
        Assert.Equal(["data/persistent/Retain", "logs/persistent/Delete", "cache/shared/Retain", "scratch/emptyDir/Delete", "fast/emptyDir/Delete"],
            spec.Volumes!.Select(v => $"{v.Name}/{v.Kind}/{v.ReclaimPolicy}"));
        Assert.Equal("Memory", spec.Volumes![4].EmptyDir!.Medium);
        Assert.Equal(["data:/data:False", "cache:/cache:True", "fast:/tmp/fast:False"], spec.VolumeMounts!.Select(m => $"{m.Name}:{m.MountPath}:{m.ReadOnly}"));
    }

    [Fact]
    public void The_written_manifest_reads_back_to_an_equal_object()
    {
        var first = Load(Full).Services[0];

        var written = ManifestYaml.Write(first);
        var again = Load(written, "written.yaml");

        Assert.True(again.Ok, string.Join("\n", again.Errors) + "\n" + written);
        Assert.True(Json.SameContent(first, again.Services[0]), written);
        Assert.Contains("reclaimPolicy: Delete", written);
    }

    [Fact]
    public void Volumes_change_the_container_hash_but_a_reclaim_policy_does_not_and_no_volumes_keep_old_hashes()
    {
        var plain = ContainerSpec.From(Load(Header).Services[0].Spec);
        var full = ContainerSpec.From(Load(Full).Services[0].Spec);
        var retained = ContainerSpec.From(Load(Full.Replace("reclaimPolicy: Delete", "reclaimPolicy: Retain")).Services[0].Spec);

        Assert.NotEqual(plain.Hash(), full.Hash());
        Assert.Equal(full.Hash(), retained.Hash());
        Assert.DoesNotContain("volume", Json.Serialize(plain), StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, string[], string> Refusals => new()
    {
        { "no kind", ["  volumes:", "    - {name: data}"], "web.yaml:8:7 spec.volumes[0]: needs exactly one kind: persistent, shared, emptyDir, secret, config (written as a mapping, like persistent: {})" },
        { "two kinds", ["  volumes:", "    - {name: data, persistent: {}, shared: {}}"], "web.yaml:8:36 spec.volumes[0]: has persistent and shared; a volume has exactly one kind" },
        { "an unknown kind, with a hint", ["  volumes:", "    - {name: data, persistant: {}}"], "web.yaml:8:20 spec.volumes[0].persistant: unknown field \"persistant\"; allowed: name, persistent, shared, emptyDir, secret, config (did you mean \"persistent\"?)" },
        { "a name that is no label", ["  volumes:", "    - {name: Data_1, emptyDir: {}}"], "web.yaml:8:14 spec.volumes[0].name: must be a DNS-1123 label (" },
        { "the same name twice", ["  volumes:", "    - {name: data, emptyDir: {}}", "    - {name: data, shared: {}}"], "web.yaml:9:14 spec.volumes[1].name: volume \"data\" is already defined at spec.volumes[0]" },
        { "a bad reclaim policy", ["  volumes:", "    - {name: data, persistent: {reclaimPolicy: Recycle}}"], "web.yaml:8:48 spec.volumes[0].persistent.reclaimPolicy: must be one of Retain, Delete, got \"Recycle\"" },
        { "a bad medium", ["  volumes:", "    - {name: data, emptyDir: {medium: Disk}}"], "web.yaml:8:39 spec.volumes[0].emptyDir.medium: must be one of Memory, got \"Disk\"" },
        { "a mount of no volume", ["  volumes:", "    - {name: data, emptyDir: {}}", "  volumeMounts:", "    - {name: date, mountPath: /data}"], "web.yaml:10:14 spec.volumeMounts[0].name: no volume \"date\" in spec.volumes; defined: data (did you mean \"data\"?)" },
        { "a mount without volumes", ["  volumeMounts:", "    - {name: data, mountPath: /data}"], "web.yaml:8:14 spec.volumeMounts[0].name: no volume \"data\": spec.volumes defines none" },
        { "a relative path", ["  volumes:", "    - {name: data, emptyDir: {}}", "  volumeMounts:", "    - {name: data, mountPath: data}"], "web.yaml:10:31 spec.volumeMounts[0].mountPath: must be an absolute path like /data" },
        { "the root", ["  volumes:", "    - {name: data, emptyDir: {}}", "  volumeMounts:", "    - {name: data, mountPath: /}"], "spec.volumeMounts[0].mountPath: must be an absolute path" },
        { "a climb out", ["  volumes:", "    - {name: data, emptyDir: {}}", "  volumeMounts:", "    - {name: data, mountPath: /data/../etc}"], "spec.volumeMounts[0].mountPath: must be an absolute path" },
        { "over /proc", ["  volumes:", "    - {name: data, emptyDir: {}}", "  volumeMounts:", "    - {name: data, mountPath: /proc/sys}"], "spec.volumeMounts[0].mountPath: must be an absolute path" },
        { "docker's separator", ["  volumes:", "    - {name: data, emptyDir: {}}", "  volumeMounts:", "    - {name: data, mountPath: \"/a:/b\"}"], "spec.volumeMounts[0].mountPath: must be an absolute path" },
        { "two mounts at one path", ["  volumes:", "    - {name: a, emptyDir: {}}", "    - {name: b, emptyDir: {}}", "  volumeMounts:", "    - {name: a, mountPath: /data}", "    - {name: b, mountPath: /data/}"], "web.yaml:12:28 spec.volumeMounts[1].mountPath: /data is already mounted by spec.volumeMounts[0]" },
        { "readOnly as text", ["  volumes:", "    - {name: data, emptyDir: {}}", "  volumeMounts:", "    - {name: data, mountPath: /data, readOnly: \"yes\"}"], "spec.volumeMounts[0].readOnly: must be true or false" },
        { "volumes as a map", ["  volumes: {data: {}}"], "web.yaml:7:12 spec.volumes: must be a list of volumes" },
    };

    [Theory, MemberData(nameof(Refusals))]
    public void Refuses_with_the_place_and_what_is_allowed(string name, string[] lines, string expected)
    {
        var result = Load(WithSpec(lines));

        Assert.False(result.Ok, name);
        Assert.Contains(result.Errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Hostile_counts_and_lengths_are_refused_at_the_limit()
    {
        var many = Load(WithSpec(["  volumes:", .. Enumerable.Range(0, ManifestLimits.MaxVolumes + 1).Select(i => $"    - {{name: v{i}, emptyDir: {{}}}}")]));
        var longPath = Load(WithSpec("  volumes:", "    - {name: data, emptyDir: {}}", "  volumeMounts:", $"    - {{name: data, mountPath: /{new string('a', ManifestLimits.MaxMountPathBytes)}}}"));
        var mounts = Load(WithSpec(["  volumes:", "    - {name: data, emptyDir: {}}", "  volumeMounts:",
            .. Enumerable.Range(0, ManifestLimits.MaxVolumeMounts + 1).Select(i => $"    - {{name: data, mountPath: /m{i}}}")]));

        Assert.Contains($"at most {ManifestLimits.MaxVolumes} volumes are allowed, got {ManifestLimits.MaxVolumes + 1}", Assert.Single(many.Errors).Message);
        Assert.Contains("must be an absolute path", Assert.Single(longPath.Errors).Message);
        Assert.Contains($"at most {ManifestLimits.MaxVolumeMounts} volume mounts are allowed", Assert.Single(mounts.Errors).Message);
    }

    [Fact]
    public void Docker_volume_names_cannot_collide_across_services()
    {
        // With dashes "kv-data"/"x" and "kv"/"data-x" would share orc-default-kv-data-x-1.
        Assert.NotEqual(VolumeNames.Persistent("default", "kv-data", "x", 1), VolumeNames.Persistent("default", "kv", "data-x", 1));
        Assert.Equal("orc.default.kv.data.2", VolumeNames.Persistent("default", "kv", "data", 2));
        Assert.Equal("orc.default.kv.data.shared", VolumeNames.Shared("default", "kv", "data"));
    }
}
