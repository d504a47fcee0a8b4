namespace Orchestrator.Contracts.Tests;

[Trait("Category", "Unit")]
public class ManifestFileTests
{
    [Fact]
    public void Example_manifests_load_without_errors()
    {
        var files = ManifestFiles.Folder(Path.Combine(ManifestFiles.RepositoryRoot(), "manifests"));

        var result = ManifestLoader.Load(files);

        Assert.NotEmpty(files);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        Assert.Contains(result.Services, s => s.Key == "default/web");
        Assert.Contains(result.Services, s => s.Key == "default/worker");
    }

    [Fact]
    public void Example_web_serves_three_replicas_on_dynamic_host_ports()
    {
        var web = LoadExample("web");

        Assert.Equal(("local/web:1", 3, "100m", "32Mi"), (web.Spec.Image, web.Spec.Replicas, web.Spec.Resources.Cpu, web.Spec.Resources.Memory));
        var port = Assert.Single(web.Spec.Ports);
        Assert.Equal((8080, null, "tcp"), (port.ContainerPort, port.HostPort, port.Protocol));
        Assert.Null(web.Spec.Command);
    }

    [Fact]
    public void Example_worker_runs_a_shell_loop()
    {
        var worker = LoadExample("worker");

        Assert.Equal(("local/busybox:1", 2, "50m", "16Mi"), (worker.Spec.Image, worker.Spec.Replicas, worker.Spec.Resources.Cpu, worker.Spec.Resources.Memory));
        Assert.Equal(["sh", "-c", "i=0; while true; do i=$((i+1)); echo \"working on item $i\"; sleep 5; done"], worker.Spec.Command!);
        Assert.Equal(new Dictionary<string, string> { ["WORKER_NAME"] = "demo" }, worker.Spec.Env);
    }

    [Fact]
    public void Example_kv_keeps_its_data_on_a_persistent_volume_and_its_password_from_the_secret_kv_in_memory_only()
    {
        var kv = LoadExample("kv");

        Assert.Equal([("data", VolumeKinds.Persistent, VolumeReclaimPolicy.Retain), ("run", VolumeKinds.EmptyDir, VolumeReclaimPolicy.Delete)],
            kv.Spec.Volumes!.Select(v => (v.Name, v.Kind!, v.ReclaimPolicy)));
        Assert.Equal(["/data", "/run/httpd"], kv.Spec.VolumeMounts!.Select(m => m.MountPath));
        Assert.Equal(("kv", "password"), (kv.Spec.EnvRefs!["KV_PASSWORD"].SecretKeyRef!.Name, kv.Spec.EnvRefs["KV_PASSWORD"].SecretKeyRef!.Key));
        Assert.Null(kv.Spec.Env?.GetValueOrDefault("KV_PASSWORD"));
        Assert.Contains("exec httpd -f -p 8080 -h /www -c /run/httpd/httpd.conf", kv.Spec.Args![0]);
        var secret = Assert.Single(Load("kv").Secrets);
        Assert.Equal("kv", secret.Metadata.Name);
        Assert.Equal(["password"], secret.Data.Keys);
    }

    [Fact]
    public void Example_kv_front_reads_kv_by_name_with_the_password_and_is_published_on_every_node()
    {
        var front = LoadExample("kv-front");

        Assert.Equal("kv", front.Spec.EnvRefs!["KV_PASSWORD"].SecretKeyRef!.Name);
        Assert.Contains("wget -qO- \"http://kv:$KV_PASSWORD@kv:8080/cgi-bin/kv?$key\"", front.Spec.Args![0]);
        Assert.Equal(30090, Assert.Single(front.Spec.Ports).PublishedPort);
    }

    [Fact]
    public void Invalid_fixture_tells_a_person_every_mistake()
    {
        var result = ManifestLoader.Load([ManifestFiles.Fixture("invalid-web.yaml")]);

        Assert.Equal(
        [
            "invalid-web.yaml:8:13 spec.replicas: must be a whole number >= 0, got \"three\"",
            "invalid-web.yaml:11:13 spec.resources.memory: must be at least 6Mi (Docker refuses smaller memory limits), got \"4Mi\"",
            "invalid-web.yaml:14:22 spec.ports[1].containerPort: containerPort 8080/tcp is already used by spec.ports[0]",
            "invalid-web.yaml:22:12 spec.command: must be a list of strings, like [\"sh\", \"-c\", \"echo hello\"], got \"sh -c \\\"sleep 1\\\"\"; write a single value as a one-element list",
            "invalid-web.yaml:23:3 spec.replica: unknown field \"replica\"; allowed: image, command, args, env, replicas, resources, ports, restartPolicy, livenessProbe, readinessProbe, placement, updateStrategy, stopGracePeriod, stopSignal, securityContext, hostname, volumes, volumeMounts (did you mean \"replicas\"?)",
            "invalid-web.yaml:24:1 status: status is reported by the control plane and cannot be set in a manifest; remove it",
        ], result.Errors.Select(e => e.ToString()));
        Assert.Empty(result.Services);
    }

    private static ServiceObject LoadExample(string name) => Assert.Single(Load(name).Services);

    private static LoadResult Load(string name)
    {
        var file = Path.Combine(ManifestFiles.RepositoryRoot(), "manifests", name + ".yaml");
        var result = ManifestLoader.Load([new ManifestFile { Name = file, Content = File.ReadAllText(file) }]);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result;
    }
}
