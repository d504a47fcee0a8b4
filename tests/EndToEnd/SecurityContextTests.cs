using Orchestrator.Contracts;
using Orchestrator.EndToEnd.Infrastructure;

namespace Orchestrator.EndToEnd;

/// <summary>spec.securityContext from `orc apply` to the engine, back through `orc get -o yaml`, and runAsNonRoot refused.</summary>
[Trait("Category", "EndToEnd")]
public sealed class SecurityContextTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private static string Service(string name, string security) => $$"""
        apiVersion: orchestrator/v1
        kind: Service
        metadata: {name: {{name}}}
        spec:
          image: local/busybox:1
          command: ["sleep", "3600"]
          hostname: {{name}}-host
          resources: {memory: 16Mi, pids: 100}
          securityContext:
        {{security}}
        """;

    [Fact]
    public async Task A_declared_security_context_runs_as_declared_and_is_written_back()
    {
        var manifest = cluster.Manifest("locked.yaml", Service("locked", """
                runAsUser: 65534
                runAsGroup: 65534
                readOnlyRootFilesystem: true
                capabilities: {drop: [ALL], add: [KILL]}
            """));
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);

        IReadOnlyList<ContainerInfo> running = [];
        await Wait.UntilAsync(async () => (running = await cluster.RunningContainersAsync("default/locked")).Count == 1,
            TimeSpan.FromSeconds(30), "locked to run");
        var inspect = await cluster.Docker.InspectFieldAsync(running[0].Id,
            "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{json .HostConfig.SecurityOpt}} {{json .HostConfig.CapDrop}} {{json .HostConfig.CapAdd}} {{.HostConfig.PidsLimit}} {{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}} {{.Config.Hostname}}");
        Assert.Equal("65534:65534 true [\"no-new-privileges\"] [\"ALL\"] [\"KILL\"] 100 json-file {\"max-file\":\"3\",\"max-size\":\"10m\"} locked-host",
            inspect.Replace("CAP_", ""));

        var yaml = await cluster.Orc("get", "service", "locked", "-o", "yaml");
        Assert.Equal(0, yaml.ExitCode);
        foreach (var line in new[] { "runAsUser: 65534", "readOnlyRootFilesystem: true", "- ALL", "- KILL", "pids: 100", "hostname: locked-host" })
            Assert.Contains(line, yaml.Stdout);
    }

    [Fact]
    public async Task RunAsNonRoot_with_a_root_image_leaves_the_replica_failed_with_the_reason()
    {
        var manifest = cluster.Manifest("rooted.yaml", Service("rooted", "    runAsNonRoot: true"));
        Assert.Equal(0, (await cluster.Orc("apply", "-f", manifest)).ExitCode);

        ReplicaView? replica = null;
        await Wait.UntilAsync(async () =>
            (replica = (await cluster.TryGetAsync<List<ReplicaView>>("/api/v1/replicas?namespace=default&service=rooted"))?.SingleOrDefault())?.Status is { State: ReplicaState.Failed },
            TimeSpan.FromSeconds(30), "the rooted replica to be reported Failed");
        Assert.Contains("runAsNonRoot is set but image local/busybox:1 runs as root", replica!.Status!.Message);
        Assert.Empty(await cluster.Docker.ContainersAsync(cluster.RunId, "default/rooted", runningOnly: false));
    }
}
