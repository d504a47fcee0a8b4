using static Orchestrator.Contracts.Tests.Manifest;

namespace Orchestrator.Contracts.Tests;

/// <summary>env[].valueFrom, spec.volumes (secret, config) and spec.volumeMounts: read with their references, refused with reasons, written back.</summary>
[Trait("Category", "Unit")]
public class SecretUseManifestTests
{
    private static readonly string Full = WithSpec(
        "  env:",
        "    - name: PLAIN",
        "      value: x",
        "    - name: DB_PASSWORD",
        "      valueFrom:",
        "        secretKeyRef: {name: db, key: password}",
        "    - name: GREETING",
        "      valueFrom:",
        "        configKeyRef: {name: app, key: greeting, optional: true}",
        "  volumes:",
        "    - name: creds",
        "      secret:",
        "        secretName: db",
        "        items: [{key: password, path: db/pw}]",
        "    - name: conf",
        "      config: {name: app, optional: true}",
        "  volumeMounts:",
        "    - {name: conf, mountPath: /etc/app, readOnly: true}");

    [Fact]
    public void Every_field_is_read_with_where_each_reference_is_written()
    {
        var result = Load(Full);

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var spec = result.Services[0].Spec;
        Assert.Equal("x", spec.Env["PLAIN"]);
        Assert.Equal(new KeyRef { Name = "db", Key = "password" }, spec.EnvRefs!["DB_PASSWORD"].SecretKeyRef);
        Assert.Equal(new KeyRef { Name = "app", Key = "greeting", Optional = true }, spec.EnvRefs["GREETING"].ConfigKeyRef);
        Assert.Equal("db", spec.Volumes![0].Secret!.SecretName);
        Assert.Equal("db/pw", spec.Volumes[0].Secret!.Items![0].Path);
        Assert.True(spec.Volumes[1].Config!.Optional);
        Assert.Equal([("/etc/app", true), ("/run/secrets/db", true)], ContainerMounts.Of(spec.Volumes, spec.VolumeMounts).Select(m => (m.Path, m.ReadOnly)));
        Assert.Equal(["secret db password 12:30", "config app greeting 15:30", "secret db  19:21", "secret db password 20:23", "config app  22:22"],
            result.References.Select(r => $"{r.Kind} {r.Name} {r.Key} {r.At.Line}:{r.At.Column}"));
        Assert.All(result.References, r => Assert.Equal(("default", "web"), (r.Namespace, r.Service)));
    }

    [Fact]
    public void The_written_manifest_reads_back_to_an_equal_object_with_references_only()
    {
        var first = Load(Full).Services[0];
        var yaml = ManifestYaml.Write(first);
        var again = Load(yaml);
        Assert.True(again.Ok, string.Join("\n", again.Errors) + "\n" + yaml);
        Assert.True(Json.SameContent(first, again.Services[0]), yaml);
        Assert.Contains("secretKeyRef:", yaml);
    }

    [Fact]
    public void A_persistent_and_a_secret_volume_live_in_one_spec_and_are_written_back()
    {
        var both = WithSpec(
            "  env:",
            "    - name: DB_PASSWORD",
            "      valueFrom:",
            "        secretKeyRef: {name: db, key: password}",
            "  volumes:",
            "    - {name: data, persistent: {reclaimPolicy: Delete}}",
            "    - {name: creds, secret: {secretName: db}}",
            "  volumeMounts:",
            "    - {name: data, mountPath: /data}");

        var first = Load(both);
        Assert.True(first.Ok, string.Join("\n", first.Errors));
        var spec = first.Services[0].Spec;
        Assert.Equal([VolumeKinds.Persistent, VolumeKinds.Secret], spec.Volumes!.Select(v => v.Kind));
        Assert.Equal([null, (DataKinds.Secret, "db")], spec.Volumes.Select(v => v.Data));
        Assert.Equal([("/data", false), ("/run/secrets/db", true)], ContainerMounts.Of(spec.Volumes, spec.VolumeMounts).Select(m => (m.Path, m.ReadOnly)));
        Assert.Equal(["secret db password", "secret db "], first.References.Select(r => $"{r.Kind} {r.Name} {r.Key}"));
        // The container's copy drops the reclaim policy only: the secret volume passes through whole.
        var container = ContainerSpec.From(spec);
        Assert.Equal(new PersistentVolumeSource(), container.Volumes![0].Persistent);
        Assert.Equal(spec.Volumes[1], container.Volumes[1]);

        var yaml = ManifestYaml.Write(first.Services[0]);
        var again = Load(yaml);
        Assert.True(again.Ok, string.Join("\n", again.Errors) + "\n" + yaml);
        Assert.True(Json.SameContent(first.Services[0], again.Services[0]), yaml);
        Assert.Contains("reclaimPolicy: Delete", yaml);
        Assert.Contains("secretName: db", yaml);
    }

    [Fact]
    public void A_spec_without_them_keeps_its_hash()
    {
        var plain = Load(WithSpec("  replicas: 2")).Services[0].Spec;
        Assert.Null(plain.EnvRefs);
        Assert.Null(plain.Volumes);
        Assert.DoesNotContain("envRefs", Json.Serialize(ContainerSpec.From(plain)));
    }

    [Fact]
    public void A_changed_secret_is_named_in_the_change_cause()
    {
        var spec = Load(Full).Services[0].Spec;
        var before = spec with { DataVersions = new() { ["secret/db"] = "a.1", ["config/app"] = "b.1" } };
        var after = spec with { DataVersions = new() { ["secret/db"] = "a.2", ["config/app"] = "b.1" } };
        Assert.Equal("secret db changed", ServiceRevision.Describe(before, after));
        Assert.False(ServiceRevision.SameTemplate(before, after));
    }

    public static TheoryData<string, string[], int, int, string> Refused => new()
    {
        { "both value and valueFrom", ["  env:", "    - name: A", "      value: x", "      valueFrom: {secretKeyRef: {name: db, key: k}}"], 10, 18, "set either value or valueFrom, not both" },
        { "no source", ["  env:", "    - name: A", "      valueFrom: {}"], 9, 18, "must have exactly one of secretKeyRef or configKeyRef" },
        { "Kubernetes' configMapKeyRef", ["  env:", "    - name: A", "      valueFrom: {configMapKeyRef: {name: a, key: b}, secretKeyRef: {name: a, key: b}}"], 9, 19, "write configKeyRef" },
        { "key with a slash", ["  env:", "    - name: A", "      valueFrom: {secretKeyRef: {name: db, key: ../etc}}"], 9, 49, "at most 253 characters" },
        { "name not a label", ["  env:", "    - name: A", "      valueFrom: {secretKeyRef: {name: DB, key: k}}"], 9, 40, "DNS-1123 label" },
        { "optional a word", ["  env:", "    - name: A", "      valueFrom: {secretKeyRef: {name: db, key: k, optional: yes}}"], 9, 62, "must be true or false" },
        { "volume without kind", ["  volumes:", "    - name: v"], 8, 7, "needs exactly one kind: persistent, shared, emptyDir, secret, config" },
        { "volume with two kinds", ["  volumes:", "    - {name: v, secret: {secretName: a}, config: {name: b}}"], 8, 42, "has secret and config; a volume has exactly one kind" },
        { "hostPath", ["  volumes:", "    - {name: v, hostPath: {path: /}, secret: {secretName: a}}"], 8, 17, "hostPath volumes are refused" },
        { "volume named twice", ["  volumes:", "    - {name: v, secret: {secretName: a}}", "    - {name: v, secret: {secretName: b}}"], 9, 14, "volume \"v\" is already defined at spec.volumes[0]" },
        { "item path escaping", ["  volumes:", "    - {name: v, secret: {secretName: a, items: [{key: k, path: ../../etc/passwd}]}}"], 8, 64, "without \"..\"" },
        { "item path absolute", ["  volumes:", "    - {name: v, secret: {secretName: a, items: [{key: k, path: /etc/passwd}]}}"], 8, 64, "a relative path" },
        { "mount of no volume", ["  volumeMounts:", "    - {name: nope, mountPath: /x}"], 8, 14, "no volume \"nope\": spec.volumes defines none" },
        { "mount path relative", ["  volumes:", "    - {name: v, config: {name: a}}", "  volumeMounts:", "    - {name: v, mountPath: etc}"], 10, 28, "an absolute path" },
        { "mount path with a colon", ["  volumes:", "    - {name: v, config: {name: a}}", "  volumeMounts:", "    - {name: v, mountPath: \"/a:/b\"}"], 10, 28, "':', ','" },
        { "mount path twice", ["  volumes:", "    - {name: v, config: {name: a}}", "    - {name: w, config: {name: b}}", "  volumeMounts:", "    - {name: v, mountPath: /a}", "    - {name: w, mountPath: /a}"], 12, 28, "/a is already mounted by spec.volumeMounts[0]" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Bad_input_is_refused_where_it_is(string name, string[] lines, int line, int column, string message)
    {
        var result = Load(WithSpec(lines));
        var error = Assert.Single(result.Errors);
        Assert.True(error.Message.Contains(message), $"{name}: {error}");
        Assert.True((line, column) == (error.Line, error.Column), $"{name}: {error}");
    }

    [Fact]
    public void More_volumes_than_the_limit_are_refused()
    {
        var lines = new List<string> { "  volumes:" };
        for (var i = 0; i <= ManifestLimits.MaxVolumes; i++) lines.Add($"    - {{name: v{i}, config: {{name: c}}}}");
        var error = Assert.Single(Load(WithSpec([.. lines])).Errors);
        Assert.Contains($"at most {ManifestLimits.MaxVolumes}", error.Message);
    }
}
