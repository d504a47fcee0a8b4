using Orchestrator.Contracts;
using Orchestrator.NodeAgent.Runtime;
using Orchestrator.NodeAgent.Tests.Fakes;
using static Orchestrator.NodeAgent.Tests.Fakes.Builders;

namespace Orchestrator.NodeAgent.Tests.Integration;

/// <summary>
/// Container defaults and spec.securityContext on the real engine: what `docker inspect` shows, and what the process
/// inside actually gets (its uid, a read-only root, no new privileges).
/// </summary>
[Trait("Category", "Integration")]
public sealed class SecurityOnDockerTests : IAsyncLifetime
{
    private readonly DockerCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();
    public Task DisposeAsync() => _cluster.DisposeAsync();

    private static Task<string> Inspect(string id, string format) => DockerCli.InspectAsync(id, format);

    /// <summary>Capability names as the engine stores them, without the CAP_ prefix some versions add.</summary>
    private static async Task<string> Capabilities(string id, string field) =>
        (await Inspect(id, $"{{{{json .HostConfig.{field}}}}}")).Replace("CAP_", "");

    private static async Task<string> Exec(string id, params string[] command)
    {
        try { return (await DockerCli.RunAsync(["exec", id, .. command])).Trim(); }
        catch (Exception e) { return "failed: " + e.Message; }
    }

    [Fact]
    public async Task Every_container_gets_no_new_privileges_a_pids_limit_log_rotation_and_no_NET_RAW()
    {
        var id = await _cluster.Runtime.CreateAndStartAsync(Replica(DockerCluster.UniqueId("dflt")), CancellationToken.None);

        Assert.Equal("[\"no-new-privileges\"]", await Inspect(id, "{{json .HostConfig.SecurityOpt}}"));
        Assert.Equal("1024", await Inspect(id, "{{.HostConfig.PidsLimit}}"));
        Assert.Equal("json-file {\"max-file\":\"3\",\"max-size\":\"10m\"}", await Inspect(id, "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}"));
        Assert.Equal("[\"NET_RAW\"]", await Capabilities(id, "CapDrop"));
        Assert.Equal("false", await Inspect(id, "{{.HostConfig.ReadonlyRootfs}}"));
        Assert.Equal("", await Inspect(id, "{{.Config.User}}"));
        // What the kernel holds for the process, not only what the engine was told.
        Assert.Contains("NoNewPrivs:\t1", await Exec(id, "cat", "/proc/1/status"));
    }

    [Fact]
    public async Task A_declared_security_context_is_what_the_engine_runs()
    {
        Replica replica = Replica(DockerCluster.UniqueId("secu")).Hostname("web-host").Pids(64).Security(new SecurityContext
        {
            RunAsUser = 65534,
            RunAsGroup = 65534,
            RunAsNonRoot = true,
            ReadOnlyRootFilesystem = true,
            Capabilities = new Capabilities { Drop = ["ALL"], Add = ["NET_BIND_SERVICE", "KILL"] },
        });

        var id = await _cluster.Runtime.CreateAndStartAsync(replica, CancellationToken.None);

        Assert.Equal("65534:65534", await Inspect(id, "{{.Config.User}}"));
        Assert.Equal("true", await Inspect(id, "{{.HostConfig.ReadonlyRootfs}}"));
        Assert.Equal("[\"no-new-privileges\"]", await Inspect(id, "{{json .HostConfig.SecurityOpt}}"));
        Assert.Equal("[\"ALL\"]", await Capabilities(id, "CapDrop"));
        Assert.Equal("[\"NET_BIND_SERVICE\",\"KILL\"]", await Capabilities(id, "CapAdd"));
        Assert.Equal("64", await Inspect(id, "{{.HostConfig.PidsLimit}}"));
        Assert.Equal("web-host", await Inspect(id, "{{.Config.Hostname}}"));
        Assert.Equal("65534", await Exec(id, "id", "-u"));
        Assert.Equal("web-host", await Exec(id, "hostname"));
        Assert.StartsWith("failed", await Exec(id, "touch", "/written"));
    }

    [Fact]
    public async Task Privilege_escalation_and_NET_RAW_are_given_only_when_asked_for()
    {
        Replica replica = Replica(DockerCluster.UniqueId("allw")).Security(new SecurityContext
        {
            AllowPrivilegeEscalation = true,
            Capabilities = new Capabilities { Add = ["NET_RAW"] },
        });

        var id = await _cluster.Runtime.CreateAndStartAsync(replica, CancellationToken.None);

        Assert.DoesNotContain("no-new-privileges", await Inspect(id, "{{json .HostConfig.SecurityOpt}}"));
        Assert.DoesNotContain("NET_RAW", await Capabilities(id, "CapDrop"));
        Assert.Equal("[\"NET_RAW\"]", await Capabilities(id, "CapAdd"));
        Assert.Contains("NoNewPrivs:\t0", await Exec(id, "cat", "/proc/1/status"));
    }

    [Fact]
    public async Task RunAsNonRoot_with_a_root_image_is_refused_and_reported_failed_with_the_reason()
    {
        var replicaId = DockerCluster.UniqueId("root");
        Replica replica = Replica(replicaId).Security(new SecurityContext { RunAsNonRoot = true });

        var refused = await Assert.ThrowsAsync<ContainerRefusedException>(() => _cluster.Runtime.CreateAndStartAsync(replica, CancellationToken.None));
        Assert.Equal("runAsNonRoot is set but image local/busybox:1 runs as root (its USER is not set); " +
                     "set securityContext.runAsUser to a non-zero uid or use an image with a non-root USER", refused.Message);
        Assert.Empty(await DockerCli.ContainerIdsAsync(_cluster.Name));

        // Through the agent's loop: the replica is reported Failed with that reason, and nothing is created.
        await using var harness = await AgentHarness.SyncedAsync(_cluster.Runtime, TimeSpan.FromMinutes(5), replica);
        await Eventually.HoldsAsync(() => harness.Latest(replicaId) is { State: ReplicaState.Failed, Message: { } m } && m.Contains("runs as root"),
            TimeSpan.FromSeconds(10), "the replica reported Failed because its image runs as root");
        Assert.Empty(await DockerCli.ContainerIdsAsync(_cluster.Name));
    }
}
